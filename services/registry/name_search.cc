// Name skeletons and their matching; see name_search.h.
//
// A word becomes a skeleton in two steps:
//
// 1. Spelling: each letter becomes lowercase ASCII. Cyrillic follows Ukraine's national
//    romanization (resolution No. 55, 2010), whose word-initial and later forms differ for
//    є ї й ю я; Latin drops its diacritics (é → e, ł → l, ß → ss). Apostrophes, combining marks
//    and soft hyphens vanish without splitting the word.
//
// 2. Folding: the spelling is rewritten so that the variants transliterations produce collide.
//    Each rule, with the variants it unites:
//      y, j → i   i/y/j spell и, і, й and the vowel of "-sky": Kamyshin/Kamishin, Andrij.
//      w → v      Polish and German spell в as w: Wolodymyr, Kowalski/Kovalskyi.
//      x → ks     Alexander/Oleksandr.
//      doubles    a doubled letter is one: Zelenskyy, Hanna/Hana, and i-runs from the rules
//                 above (Andrii/Andriy/Andrij/Андрій → andri, Zelenskiy/Zelenskyi → zelenski,
//                 Arakhamiia/Arakhamiya/Arakhamia → arakhamia).
//      ie → e     є/е: Umierov/Umerov, Yermak/Iermak/Ermak, Andreyev/Andreev. (Costs
//                 Friedman = Fredman; acceptable for search.)
//      gh → g     the national system writes зг as "zgh" (to keep it apart from ж "zh");
//                 others write "zg"; English "gh" is a g too.
//      ph → f     Joseph/Josef.
//    The rewrites run as a left-to-right reduction that re-checks the tail after each
//    rewrite, so a skeleton holds no pair any rule would rewrite and folding it again changes
//    nothing. Rules deliberately not taken, because they merge names that differ:
//      kh → h     the national system spells х "kh" and г "h", so this would merge Kholod and
//                 Holod, Kharchenko and Harchenko; "Mihail" for Mikhail is rare and one edit,
//                 so the fuzzy match finds it.
//      g → h      Gary = Harry, Gill = Hill; the fuzzy match treats g and h as equal instead,
//                 for Russian-style spellings of Г (Oleg/Oleh, Sergey/Serhiy).
//      ia → a     Maria = Mara.
//      c → k      Marc = Mark, for little gain (ц is always "ts" in the sources we expect).
//
// Because the reduction looks back only one letter, the skeleton of the beginning of a word
// is the beginning of the word's skeleton, except that its last letter may still be rewritten
// (p before h, i before e). Prefix matching allows for that (see IsPrefixMatch).
#include "services/registry/name_search.h"

#include <algorithm>
#include <cstddef>
#include <iterator>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/string_view.h"
#include "common/text/utf8.h"

namespace summit::registry {
namespace {

using text::AppendUtf8;
using text::DecodeUtf8;

// ---------------------------------------------------------------------------------------------
// Cyrillic

// The Latin spelling of a lowercase Cyrillic letter: `initial` at the start of a word, `later`
// elsewhere (they differ only for є ї й ю я).
struct CyrillicSpelling {
  const char* initial;
  const char* later;
};

// U+0430..U+044F (а..я), then U+0450..U+045F (ѐ..џ), then U+0491 (ґ); see CyrillicIndex.
// Ukrainian letters follow the national system; ё ы э ъ are Russian ("yo" as English writes
// Pyotr, Fyodor); ѐ ђ ѓ ѕ ј љ њ ћ ќ ѝ џ are Serbian/Macedonian and ў Belarusian, spelled as their
// Latin alphabets do without diacritics.
// clang-format off
constexpr CyrillicSpelling kCyrillic[] = {
    {"a", "a"},       {"b", "b"},   {"v", "v"},   {"h", "h"},       {"d", "d"},   // а б в г д
    {"e", "e"},       {"zh", "zh"}, {"z", "z"},   {"y", "y"},       {"y", "i"},   // е ж з и й
    {"k", "k"},       {"l", "l"},   {"m", "m"},   {"n", "n"},       {"o", "o"},   // к л м н о
    {"p", "p"},       {"r", "r"},   {"s", "s"},   {"t", "t"},       {"u", "u"},   // п р с т у
    {"f", "f"},       {"kh", "kh"}, {"ts", "ts"}, {"ch", "ch"},     {"sh", "sh"}, // ф х ц ч ш
    {"shch", "shch"}, {"", ""},     {"y", "y"},   {"", ""},         {"e", "e"},   // щ ъ ы ь э
    {"yu", "iu"},     {"ya", "ia"},                                               // ю я
    {"e", "e"},       {"yo", "yo"}, {"dj", "dj"}, {"g", "g"},       {"ye", "ie"}, // ѐ ё ђ ѓ є
    {"dz", "dz"},     {"i", "i"},   {"yi", "i"},  {"j", "j"},       {"lj", "lj"}, // ѕ і ї ј љ
    {"nj", "nj"},     {"c", "c"},   {"k", "k"},   {"i", "i"},       {"u", "u"},   // њ ћ ќ ѝ ў
    {"dz", "dz"},                                                                 // џ
    {"g", "g"},                                                                   // ґ
};
// clang-format on
static_assert(sizeof(kCyrillic) / sizeof(kCyrillic[0]) == 49, "one row per letter");

constexpr char32_t kCyrillicZe = 0x0437;   // з
constexpr char32_t kCyrillicGhe = 0x0433;  // г

// The lowercase form of a Cyrillic letter kCyrillic spells, or 0 for anything else.
char32_t LowercaseCyrillic(char32_t cp) {
  if (cp >= 0x0400 && cp <= 0x040F) return cp + 0x50;  // Ѐ..Џ
  if (cp >= 0x0410 && cp <= 0x042F) return cp + 0x20;  // А..Я
  if (cp >= 0x0430 && cp <= 0x045F) return cp;
  if (cp == 0x0490 || cp == 0x0491) return 0x0491;  // Ґ ґ
  return 0;
}

bool IsUppercaseCyrillic(char32_t cp) { return (cp >= 0x0400 && cp <= 0x042F) || cp == 0x0490; }

size_t CyrillicIndex(char32_t lowercase) {
  return lowercase == 0x0491 ? 48 : static_cast<size_t>(lowercase - 0x0430);
}

// The lowercase Latin spelling of a lowercase Cyrillic letter. `previous` is the lowercase
// letter before it in the same word, or 0 at the start of a word.
std::string SpellCyrillic(char32_t lowercase, char32_t previous) {
  // The national system spells зг "zgh", so that it is not read as ж "zh".
  if (lowercase == kCyrillicGhe && previous == kCyrillicZe) return "gh";
  const CyrillicSpelling& spelling = kCyrillic[CyrillicIndex(lowercase)];
  return previous == 0 ? spelling.initial : spelling.later;
}

// ---------------------------------------------------------------------------------------------
// Latin

// The ASCII base of U+00C0..U+017F (Latin-1 Supplement letters and Latin Extended-A), lowercase;
// nullptr for × and ÷, which are not letters.
// clang-format off
constexpr const char* kLatinBase[] = {
    // U+00C0: À Á Â Ã Ä Å Æ Ç È É Ê Ë Ì Í Î Ï
    "a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i", "i",
    // U+00D0: Ð Ñ Ò Ó Ô Õ Ö × Ø Ù Ú Û Ü Ý Þ ß
    "d", "n", "o", "o", "o", "o", "o", nullptr, "o", "u", "u", "u", "u", "y", "th", "ss",
    // U+00E0: à á â ã ä å æ ç è é ê ë ì í î ï
    "a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i", "i",
    // U+00F0: ð ñ ò ó ô õ ö ÷ ø ù ú û ü ý þ ÿ
    "d", "n", "o", "o", "o", "o", "o", nullptr, "o", "u", "u", "u", "u", "y", "th", "y",
    // U+0100: Ā ā Ă ă Ą ą Ć ć Ĉ ĉ Ċ ċ Č č Ď ď
    "a", "a", "a", "a", "a", "a", "c", "c", "c", "c", "c", "c", "c", "c", "d", "d",
    // U+0110: Đ đ Ē ē Ĕ ĕ Ė ė Ę ę Ě ě Ĝ ĝ Ğ ğ
    "d", "d", "e", "e", "e", "e", "e", "e", "e", "e", "e", "e", "g", "g", "g", "g",
    // U+0120: Ġ ġ Ģ ģ Ĥ ĥ Ħ ħ Ĩ ĩ Ī ī Ĭ ĭ Į į
    "g", "g", "g", "g", "h", "h", "h", "h", "i", "i", "i", "i", "i", "i", "i", "i",
    // U+0130: İ ı Ĳ ĳ Ĵ ĵ Ķ ķ ĸ Ĺ ĺ Ļ ļ Ľ ľ Ŀ
    "i", "i", "ij", "ij", "j", "j", "k", "k", "k", "l", "l", "l", "l", "l", "l", "l",
    // U+0140: ŀ Ł ł Ń ń Ņ ņ Ň ň ŉ Ŋ ŋ Ō ō Ŏ ŏ
    "l", "l", "l", "n", "n", "n", "n", "n", "n", "n", "n", "n", "o", "o", "o", "o",
    // U+0150: Ő ő Œ œ Ŕ ŕ Ŗ ŗ Ř ř Ś ś Ŝ ŝ Ş ş
    "o", "o", "oe", "oe", "r", "r", "r", "r", "r", "r", "s", "s", "s", "s", "s", "s",
    // U+0160: Š š Ţ ţ Ť ť Ŧ ŧ Ũ ũ Ū ū Ŭ ŭ Ů ů
    "s", "s", "t", "t", "t", "t", "t", "t", "u", "u", "u", "u", "u", "u", "u", "u",
    // U+0170: Ű ű Ų ų Ŵ ŵ Ŷ ŷ Ÿ Ź ź Ż ż Ž ž ſ
    "u", "u", "u", "u", "w", "w", "y", "y", "y", "z", "z", "z", "z", "z", "z", "s",
};
// clang-format on
static_assert(sizeof(kLatinBase) / sizeof(kLatinBase[0]) == 0x180 - 0xC0, "U+00C0..U+017F");

// The lowercase ASCII spelling of a Latin letter or ASCII digit, or nullptr if `cp` is not one.
const char* SpellLatin(char32_t cp) {
  // Each letter and digit as a one-letter string, to return views into constant storage.
  static constexpr const char* kAscii[] = {
      "0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "a", "b", "c", "d", "e", "f", "g", "h",
      "i", "j", "k", "l", "m", "n", "o", "p", "q", "r", "s", "t", "u", "v", "w", "x", "y", "z"};
  if (cp >= '0' && cp <= '9') return kAscii[cp - '0'];
  if (cp >= 'a' && cp <= 'z') return kAscii[10 + (cp - 'a')];
  if (cp >= 'A' && cp <= 'Z') return kAscii[10 + (cp - 'A')];
  if (cp >= 0xC0 && cp < 0x180) return kLatinBase[cp - 0xC0];
  // Romanian ș ț (comma below) live in Latin Extended-B.
  if (cp >= 0x0218 && cp <= 0x0219) return "s";
  if (cp >= 0x021A && cp <= 0x021B) return "t";
  return nullptr;
}

// ---------------------------------------------------------------------------------------------
// Words

enum class CharRole {
  kLetter,     // part of a word
  kInvisible,  // dropped without ending the word: apostrophes, combining marks, soft hyphens
  kSeparator,  // ends a word: spaces, punctuation, hyphens, symbols, emoji
};

// Characters written as apostrophes: ʼ is the Ukrainian one, ' and ’ what keyboards produce.
constexpr char32_t kApostrophes[] = {'\'',   '`',    0x00B4, 0x02B9, 0x02BB, 0x02BC,
                                     0x02BD, 0x2018, 0x2019, 0x201B, 0x2032};

bool IsApostrophe(char32_t cp) {
  return std::find(std::begin(kApostrophes), std::end(kApostrophes), cp) != std::end(kApostrophes);
}

CharRole RoleOf(char32_t cp) {
  if (IsApostrophe(cp)) return CharRole::kInvisible;
  if (cp < 0x80)
    return absl::ascii_isalnum(static_cast<unsigned char>(cp)) ? CharRole::kLetter
                                                               : CharRole::kSeparator;
  if (cp == 0x00AD) return CharRole::kInvisible;  // soft hyphen
  if (cp < 0xC0) return CharRole::kSeparator;     // Latin-1 controls, punctuation, symbols
  if (cp < 0x180) return SpellLatin(cp) != nullptr ? CharRole::kLetter : CharRole::kSeparator;
  // Modifier letters (ʼ, the Ukrainian apostrophe, among them) and combining diacritics, as in
  // decomposed "e\u0301".
  if (cp >= 0x02B0 && cp <= 0x036F) return CharRole::kInvisible;
  if (cp >= 0x0483 && cp <= 0x0489) return CharRole::kInvisible;  // Cyrillic combining marks
  if ((cp >= 0x200B && cp <= 0x200D) || cp == 0x2060 || cp == 0xFEFF ||
      (cp >= 0xFE00 && cp <= 0xFE0F)) {
    return CharRole::kInvisible;  // zero-width characters and variation selectors
  }
  if ((cp >= 0x2000 && cp <= 0x2BFF) ||    // punctuation, symbols, arrows, math, shapes
      (cp >= 0x2E00 && cp <= 0x2E7F) ||    // supplemental punctuation
      (cp >= 0x3000 && cp <= 0x303F) ||    // CJK punctuation
      (cp >= 0xFFF0 && cp <= 0xFFFF) ||    // specials
      (cp >= 0x1F000 && cp <= 0x1FAFF)) {  // emoji and pictographs
    return CharRole::kSeparator;
  }
  return CharRole::kLetter;  // Cyrillic, and letters of other scripts kept as written
}

// Appends the lowercase spelling of letter `cp`; `previous` is the letter before it in the
// word, lowercase, or 0 at the start of the word.
void AppendSpelling(char32_t cp, char32_t previous, std::string* out) {
  if (const char32_t cyrillic = LowercaseCyrillic(cp); cyrillic != 0) {
    out->append(SpellCyrillic(cyrillic, previous));
  } else if (const char* latin = SpellLatin(cp); latin != nullptr) {
    out->append(latin);
  } else {
    AppendUtf8(cp, out);
  }
}

// The `previous` for AppendSpelling after character `cp`: the letter itself (lowercase), the
// same letter as before after an invisible character, and 0 (start of a word) after a separator.
char32_t PreviousAfter(char32_t cp, char32_t previous) {
  switch (RoleOf(cp)) {
    case CharRole::kLetter:
      return LowercaseCyrillic(cp) != 0 ? LowercaseCyrillic(cp) : cp;
    case CharRole::kInvisible:
      return previous;
    case CharRole::kSeparator:
      break;
  }
  return 0;
}

// The words of `text`, each spelled in lowercase Latin (step 1), empty ones dropped.
std::vector<std::string> SpellWords(absl::string_view text) {
  std::vector<std::string> words;
  std::string word;
  char32_t previous = 0;
  for (const char32_t cp : DecodeUtf8(text)) {
    const CharRole role = RoleOf(cp);
    if (role == CharRole::kLetter) AppendSpelling(cp, previous, &word);
    if (role == CharRole::kSeparator && !word.empty()) {
      words.push_back(std::move(word));
      word.clear();
    }
    previous = PreviousAfter(cp, previous);
  }
  if (!word.empty()) words.push_back(std::move(word));
  return words;
}

// ---------------------------------------------------------------------------------------------
// Romanization with capitals

bool IsCyrillicAt(const std::vector<char32_t>& cps, size_t i) {
  return i < cps.size() && LowercaseCyrillic(cps[i]) != 0;
}

bool IsCapitalAt(const std::vector<char32_t>& cps, size_t i) {
  return i < cps.size() && (IsUppercaseCyrillic(cps[i]) || (cps[i] >= 'A' && cps[i] <= 'Z'));
}

// The national system drops apostrophes inside Ukrainian words (Знам'янка → Znamianka); other
// apostrophes belong to someone else's spelling (O'Brien) and stay.
bool IsApostropheInCyrillicWord(const std::vector<char32_t>& cps, size_t i) {
  return IsApostrophe(cps[i]) && i > 0 && IsCyrillicAt(cps, i - 1) && IsCyrillicAt(cps, i + 1);
}

// `spelled`, the lowercase spelling of cps[i], with the capitals cps[i] calls for: none for a
// small letter, all when a neighbouring letter is a capital too ("ЩУКА" → "SHCHUKA"), else the
// first ("Щука" → "Shchuka").
std::string CapitalizedLike(const std::vector<char32_t>& cps, size_t i, std::string spelled) {
  if (!IsUppercaseCyrillic(cps[i]) || spelled.empty()) return spelled;
  if (IsCapitalAt(cps, i + 1) || (i > 0 && IsCapitalAt(cps, i - 1))) {
    absl::AsciiStrToUpper(&spelled);
  } else {
    spelled[0] = absl::ascii_toupper(static_cast<unsigned char>(spelled[0]));
  }
  return spelled;
}

// ---------------------------------------------------------------------------------------------
// Folding (step 2)

// The letter that replaces the last letter of `folded` followed by `next`, or 0 when no rule
// rewrites that pair. Doubles are handled by the caller.
char Digraph(const std::string& folded, char next) {
  const char last = folded.back();
  if (last == 'g' && next == 'h') return 'g';
  if (last == 'p' && next == 'h') return 'f';
  if (last == 'i' && next == 'e') return 'e';
  return 0;
}

// Appends `c` to `folded`, rewriting the tail while a rule applies to its last two letters.
void PushFolded(char c, std::string* folded) {
  while (!folded->empty()) {
    if (c == folded->back() && absl::ascii_islower(static_cast<unsigned char>(c))) return;
    const char merged = Digraph(*folded, c);
    if (merged == 0) break;
    folded->pop_back();
    c = merged;
  }
  folded->push_back(c);
}

std::string Fold(absl::string_view spelled) {
  std::string folded;
  for (const char c : spelled) {
    switch (c) {
      case 'y':
      case 'j':
        PushFolded('i', &folded);
        break;
      case 'w':
        PushFolded('v', &folded);
        break;
      case 'x':
        PushFolded('k', &folded);
        PushFolded('s', &folded);
        break;
      default:
        PushFolded(c, &folded);
    }
  }
  return folded;
}

// ---------------------------------------------------------------------------------------------
// Matching

// For a query word that may stop partway through a spelling: the letter its last letter becomes
// if the spelling goes on with the second letter of a digraph (p+h → f, i+e → e), or 0.
char PendingRewrite(absl::string_view query) {
  if (query.size() < 2) return 0;  // CandidateKey could not fetch the rewritten first letter
  switch (query.back()) {
    case 'p':
      return 'f';
    case 'i':
      return 'e';
    default:
      return 0;
  }
}

// Whether `query` starts `name`, or could start it once the rest of a spelling is folded in.
bool IsPrefixMatch(absl::string_view query, absl::string_view name) {
  if (absl::StartsWith(name, query)) return true;
  const char rewritten = PendingRewrite(query);
  if (rewritten == 0) return false;
  const absl::string_view stem = query.substr(0, query.size() - 1);
  if (!absl::StartsWith(name, stem)) return false;
  // The rewritten letter may equal the one before and merge into it ("andrei" + "e" →
  // "andre"), and then the name may go on with anything.
  if (rewritten == stem.back()) return true;
  return name.size() > stem.size() && name[stem.size()] == rewritten;
}

constexpr size_t kMinFuzzyLength = 4;
constexpr size_t kMaxFuzzyLength = 32;  // bounds the work an untrusted query can cause

// Letters the fuzzy match treats as equal: g and h (Ukrainian Г is h, Russian-style spellings
// use g). Too lossy for the skeleton, where it would make Gary = Harry exact.
char LooseLetter(char c) { return c == 'g' ? 'h' : c; }

bool IsAscii(absl::string_view word) {
  return std::all_of(word.begin(), word.end(),
                     [](char c) { return static_cast<unsigned char>(c) < 0x80; });
}

// The edit distance allowed for a query word of `length` letters.
size_t FuzzyBudget(size_t length) { return length >= 8 ? 2 : 1; }

// Whether `name`, or a prefix of it, is within the fuzzy budget of `query`: optimal string
// alignment distance (insertions, deletions, substitutions, adjacent transpositions) from
// `query` to each prefix of `name` is the last row of one table.
bool IsFuzzyMatch(absl::string_view query, absl::string_view name) {
  const size_t q = query.size();
  if (q < kMinFuzzyLength || q > kMaxFuzzyLength || !IsAscii(query)) return false;
  const size_t budget = FuzzyBudget(q);
  if (name.size() + budget < q) return false;
  const size_t n = std::min(name.size(), q + budget);  // longer prefixes are too far anyway
  // distance[i][j]: from query[0, i) to name[0, j).
  std::vector<std::vector<size_t>> distance(q + 1, std::vector<size_t>(n + 1));
  for (size_t i = 0; i <= q; ++i) distance[i][0] = i;
  for (size_t j = 0; j <= n; ++j) distance[0][j] = j;
  for (size_t i = 1; i <= q; ++i) {
    for (size_t j = 1; j <= n; ++j) {
      const bool same = LooseLetter(query[i - 1]) == LooseLetter(name[j - 1]);
      size_t d = std::min({distance[i - 1][j] + 1, distance[i][j - 1] + 1,
                           distance[i - 1][j - 1] + (same ? 0 : 1)});
      if (i > 1 && j > 1 && LooseLetter(query[i - 1]) == LooseLetter(name[j - 2]) &&
          LooseLetter(query[i - 2]) == LooseLetter(name[j - 1])) {
        d = std::min(d, distance[i - 2][j - 2] + 1);
      }
      distance[i][j] = d;
    }
  }
  for (size_t j = q > budget ? q - budget : 0; j <= n; ++j) {
    if (distance[q][j] <= budget) return true;
  }
  return false;
}

NameMatch MatchWord(absl::string_view query, absl::string_view name) {
  if (query == name) return NameMatch::kExact;
  if (IsPrefixMatch(query, name)) return NameMatch::kPrefix;
  if (IsFuzzyMatch(query, name)) return NameMatch::kFuzzy;
  return NameMatch::kNone;
}

// Word matches: levels[q][n] is how query word q matches name word n.
using MatchTable = std::vector<std::vector<NameMatch>>;

// Kuhn's augmenting path: tries to give query word `q` a name word at `level` or better,
// moving earlier query words to other name words if needed.
bool Assign(size_t q, NameMatch level, const MatchTable& levels, std::vector<bool>* visited,
            std::vector<int>* owner) {
  for (size_t n = 0; n < owner->size(); ++n) {
    if (levels[q][n] < level || (*visited)[n]) continue;
    (*visited)[n] = true;
    if ((*owner)[n] < 0 ||
        Assign(static_cast<size_t>((*owner)[n]), level, levels, visited, owner)) {
      (*owner)[n] = static_cast<int>(q);
      return true;
    }
  }
  return false;
}

// Whether every query word can have its own name word matching at `level` or better.
bool CanAssignAll(NameMatch level, const MatchTable& levels, size_t name_words) {
  std::vector<int> owner(name_words, -1);
  for (size_t q = 0; q < levels.size(); ++q) {
    std::vector<bool> visited(name_words, false);
    if (!Assign(q, level, levels, &visited, &owner)) return false;
  }
  return true;
}

}  // namespace

std::vector<std::string> NameSkeletons(absl::string_view text) {
  std::vector<std::string> skeletons;
  for (const std::string& word : SpellWords(text)) {
    std::string skeleton = Fold(word);
    if (!skeleton.empty()) skeletons.push_back(std::move(skeleton));
  }
  return skeletons;
}

std::string RomanizeUkrainian(absl::string_view text) {
  const std::vector<char32_t> cps = DecodeUtf8(text);
  std::string out;
  char32_t previous = 0;
  for (size_t i = 0; i < cps.size(); ++i) {
    if (const char32_t cyrillic = LowercaseCyrillic(cps[i]); cyrillic != 0) {
      out.append(CapitalizedLike(cps, i, SpellCyrillic(cyrillic, previous)));
    } else if (!IsApostropheInCyrillicWord(cps, i)) {
      AppendUtf8(cps[i], &out);
    }
    previous = PreviousAfter(cps[i], previous);
  }
  return out;
}

NameMatch MatchName(const std::vector<std::string>& query, const std::vector<std::string>& name) {
  if (query.empty() || query.size() > name.size()) return NameMatch::kNone;
  MatchTable levels(query.size(), std::vector<NameMatch>(name.size()));
  for (size_t q = 0; q < query.size(); ++q) {
    for (size_t n = 0; n < name.size(); ++n) levels[q][n] = MatchWord(query[q], name[n]);
  }
  for (const NameMatch level : {NameMatch::kExact, NameMatch::kPrefix, NameMatch::kFuzzy}) {
    if (CanAssignAll(level, levels, name.size())) return level;
  }
  return NameMatch::kNone;
}

std::string CandidateKey(absl::string_view skeleton) {
  if (skeleton.empty()) return "";
  const unsigned char first = static_cast<unsigned char>(skeleton[0]);
  if (first >= 0x80) {
    // Keep the whole first code point, so the key is valid UTF-8 text for the database.
    const size_t length = first >= 0xF0 ? 4 : first >= 0xE0 ? 3 : 2;
    return std::string(skeleton.substr(0, length));
  }
  // First letters that spelling variants or slips of the hand swap; each class is keyed by its
  // first letter.
  constexpr absl::string_view kClasses[] = {"aeiouy", "cghkq", "sz", "bp", "dt", "fvw"};
  for (const absl::string_view letters : kClasses) {
    if (letters.find(static_cast<char>(first)) != absl::string_view::npos) {
      return std::string(letters.substr(0, 1));
    }
  }
  return std::string(1, static_cast<char>(first));
}

}  // namespace summit::registry
