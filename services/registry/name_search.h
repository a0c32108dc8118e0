// Name search for people: finds "Zelensky", "Zelenskyy", "zelensk" and "Зеленський" alike.
//
// Every word of a stored name and of a query is folded into a search skeleton: Cyrillic is
// romanized by Ukraine's national system, Latin is lowercased and stripped of diacritics, and
// spelling variants that transliterations produce are rewritten to one form, so that they
// collide ("Zelenskyy", "Zelenskiy" and "Зеленський" all become "zelenski"). Skeletons are then
// compared word by word: equal (exact), the query word starts the name word (prefix), or a small
// edit distance apart (fuzzy), so results can be ranked exact > prefix > fuzzy.
//
//   // Indexing, once per person (see kNameSkeletonVersion):
//   for (const std::string& word : NameSkeletons(person.display_name())) {
//     store.AddNameWord(person_id, word, CandidateKey(word));
//   }
//   // Searching:
//   std::vector<std::string> query = NameSkeletons("Zelenskiy");
//   // candidates: people having, for each query word, a word with the same CandidateKey
//   NameMatch match = MatchName(query, candidate_words);  // kExact for "Volodymyr Zelensky"
//
// The skeleton rules are a persisted format: the store keeps the skeletons of each name, so any
// change to the rules (tables or rewrites in name_search.cc) must bump kNameSkeletonVersion,
// and the store must then re-index every name. Queries and stored names must be folded by the
// same version, or variants stop colliding.
//
// Thread-safety: every function is pure and may be called from any thread.
#ifndef SUMMIT_SERVICES_REGISTRY_NAME_SEARCH_H_
#define SUMMIT_SERVICES_REGISTRY_NAME_SEARCH_H_

#include <string>
#include <vector>

#include "absl/strings/string_view.h"

namespace summit::registry {

// Version of the skeleton rules. The store records it beside the skeletons it persists and
// re-indexes all names when it differs from this value.
inline constexpr int kNameSkeletonVersion = 1;

// Canonical search skeletons of the words of a name or query, in order; empty words dropped.
//
// Words are split at spaces, punctuation and hyphens ("Kosiniak-Kamysz" is two words);
// apostrophes inside a word are dropped ("d'Artagnan" → "dartagnan", "Мар'яна" → "mariana"). Input
// is UTF-8; invalid bytes are dropped. Latin and Cyrillic letters are folded as described in
// name_search.cc; letters of other scripts are kept as written (no case folding), so such a
// name matches itself only.
std::vector<std::string> NameSkeletons(absl::string_view text);

// The Latin spelling of Ukrainian Cyrillic by the national system (Cabinet of Ministers of
// Ukraine resolution No. 55 of 27 January 2010), e.g. "Володимир Зеленський" →
// "Volodymyr Zelenskyi", "Єнакієве" → "Yenakiieve", "Згорани" → "Zghorany". Also spells the
// Russian letters ё ы э ъ (yo, y, e, dropped) and the Serbian/Macedonian/Belarusian letters of
// the basic Cyrillic block. A capital becomes a capitalized spelling ("Щ" → "Shch"), or an
// all-capital one inside an all-capital word ("ЩУКА" → "SHCHUKA"). Other characters are copied;
// invalid UTF-8 bytes are dropped. Useful to suggest a Latin display name from a native one.
std::string RomanizeUkrainian(absl::string_view text);

enum class NameMatch { kNone = 0, kFuzzy = 1, kPrefix = 2, kExact = 3 };

// How well a query matches a name, given both as skeletons: every query word must match a
// distinct name word; the result is the weakest of the word matches (the best such assignment
// is chosen). Word order does not matter. An empty query matches nothing.
//   Exact:  equal skeletons.
//   Prefix: the query word starts the name word. A query typed partway through a spelling
//           whose last letter the folding would still rewrite also counts: "Umi" (folded
//           "umi") is a prefix of "Umierov" (folded "umerov", since ie → e).
//   Fuzzy:  Damerau-Levenshtein (optimal string alignment) distance <= 1 for query words of
//           4-7 letters, <= 2 for 8+, to the name word or to a prefix of it; g and h count as
//           the same letter here (Ukrainian Г is "h", Russian-style spellings write "g":
//           "Oleg"/"Oleh", "Sergey"/"Serhiy"). Never for query words shorter than 4 letters,
//           longer than 32 bytes, or not entirely ASCII.
NameMatch MatchName(const std::vector<std::string>& query, const std::vector<std::string>& name);

// The key the store uses to fetch candidate name words for a query word cheaply: persist
// CandidateKey(word) for every stored skeleton word and index it; for a query word, fetch the
// rows whose key equals CandidateKey(query_word). The key is the class of the skeleton's first
// letter (vowels; c g h k q; s z; b p; d t; f v w; any other letter alone), so it covers exact and
// prefix matches, and fuzzy ones unless the first letter itself is wrong across classes
// ("Aleksandr" finds "Oleksandr", "Selenskyj" finds "Zelensky"; "Xelensky" finds nothing).
// Empty for an empty skeleton. The key is part of the persisted format (kNameSkeletonVersion).
std::string CandidateKey(absl::string_view skeleton);

}  // namespace summit::registry

#endif  // SUMMIT_SERVICES_REGISTRY_NAME_SEARCH_H_
