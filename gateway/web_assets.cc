#include "gateway/web_assets.h"

#include <cstddef>

// Defined by the sources cmake/EmbedFile.cmake generates from web/.
extern const unsigned char summit_web_index_html[];
extern const std::size_t summit_web_index_html_size;
extern const unsigned char summit_web_app_js[];
extern const std::size_t summit_web_app_js_size;
extern const unsigned char summit_web_style_css[];
extern const std::size_t summit_web_style_css_size;

namespace summit::gateway {
namespace {

absl::string_view Bytes(const unsigned char* data, std::size_t size) {
  return absl::string_view(reinterpret_cast<const char*>(data), size);
}

}  // namespace

const WebAsset* FindWebAsset(absl::string_view path) {
  static const WebAsset page{"text/html; charset=utf-8",
                             Bytes(summit_web_index_html, summit_web_index_html_size)};
  static const WebAsset script{"text/javascript; charset=utf-8",
                               Bytes(summit_web_app_js, summit_web_app_js_size)};
  static const WebAsset style{"text/css; charset=utf-8",
                              Bytes(summit_web_style_css, summit_web_style_css_size)};
  if (path == "/" || path == "/index.html") return &page;
  if (path == "/app.js") return &script;
  if (path == "/style.css") return &style;
  return nullptr;
}

}  // namespace summit::gateway
