// The summit's web page (web/: index.html, app.js, style.css), compiled into
// the gateway at build time (cmake/EmbedFile.cmake) so that the binary serves
// it with nothing to find on disk. The page uses only the gateway's public
// HTTP/JSON API, from the same origin.
//
//   if (const WebAsset* asset = FindWebAsset("/app.js")) {
//     Respond(200, {{"content-type", asset->content_type}}, asset->body);
//   }
//
// Thread-safe: the files are constants.
#ifndef SUMMIT_GATEWAY_WEB_ASSETS_H_
#define SUMMIT_GATEWAY_WEB_ASSETS_H_

#include "absl/strings/string_view.h"

namespace summit::gateway {

struct WebAsset {
  // e.g. "text/html; charset=utf-8".
  absl::string_view content_type;
  // The file's bytes.
  absl::string_view body;
};

// The file served at `path` (the request target without its query): "/" and
// "/index.html" (the page), "/app.js", "/style.css"; nullptr for any other.
const WebAsset* FindWebAsset(absl::string_view path);

}  // namespace summit::gateway

#endif  // SUMMIT_GATEWAY_WEB_ASSETS_H_
