#include "services/registry/name_search.h"

#include <algorithm>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace summit::registry {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

// People from the December 2023 summit article, by their Latin and Ukrainian names.
struct Person {
  const char* latin;
  const char* native;  // nullptr: none
};
constexpr Person kPeople[] = {
    {"Volodymyr Zelensky", "Володимир Зеленський"},
    {"Olena Zelenska", "Олена Зеленська"},
    {"Rustem Umerov", "Рустем Умєров"},
    {"Andriy Yermak", "Андрій Єрмак"},
    {"Ruslan Stefanchuk", "Руслан Стефанчук"},
    {"Oleksandr Kamyshin", "Олександр Камишін"},
    {"Mykola Tochytskyi", "Микола Точицький"},
    {"Davyd Arakhamia", "Давид Арахамія"},
    {"Oksana Markarova", "Оксана Маркарова"},
    {"Joseph Biden", nullptr},
};

NameMatch Match(absl::string_view query, absl::string_view name) {
  return MatchName(NameSkeletons(query), NameSkeletons(name));
}

std::string Skeleton(absl::string_view word) {
  const std::vector<std::string> skeletons = NameSkeletons(word);
  return skeletons.size() == 1 ? skeletons[0] : absl::StrCat("<", skeletons.size(), " words>");
}

// What the store would do: fetch by CandidateKey, match against both names, rank exact > prefix
// > fuzzy (stable within a level). Returns the Latin names found.
std::vector<std::string> Search(absl::string_view query_text) {
  const std::vector<std::string> query = NameSkeletons(query_text);
  std::vector<std::pair<NameMatch, std::string>> found;
  for (const Person& person : kPeople) {
    NameMatch best = NameMatch::kNone;
    for (const char* text : {person.latin, person.native}) {
      if (text == nullptr) continue;
      const std::vector<std::string> name = NameSkeletons(text);
      const bool fetched = std::all_of(query.begin(), query.end(), [&](const std::string& q) {
        return std::any_of(name.begin(), name.end(), [&](const std::string& n) {
          return CandidateKey(n) == CandidateKey(q);
        });
      });
      if (fetched) best = std::max(best, MatchName(query, name));
    }
    if (best != NameMatch::kNone) found.emplace_back(best, person.latin);
  }
  std::stable_sort(found.begin(), found.end(),
                   [](const auto& a, const auto& b) { return a.first > b.first; });
  std::vector<std::string> names;
  for (const auto& [match, name] : found) names.push_back(name);
  return names;
}

// ---------------------------------------------------------------------------------------------
// The cases the Registry must get right.

TEST(NameSearchTest, ZelenskyVariantsFindHimInBothScripts) {
  for (const char* name : {"Volodymyr Zelensky", "Володимир Зеленський"}) {
    SCOPED_TRACE(name);
    EXPECT_EQ(Match("zelensk", name), NameMatch::kPrefix);
    EXPECT_EQ(Match("Зеленськ", name), NameMatch::kPrefix);
    EXPECT_EQ(Match("Zelenskyy", name), NameMatch::kExact);
    EXPECT_EQ(Match("Zelenskiy", name), NameMatch::kExact);
    EXPECT_EQ(Match("Zelensky", name), NameMatch::kExact);
    EXPECT_EQ(Match("Зеленський", name), NameMatch::kExact);
  }
}

TEST(NameSearchTest, UmerovFindsRustemUmerovOnly) {
  for (const char* name : {"Rustem Umerov", "Рустем Умєров"}) {
    EXPECT_EQ(Match("Umerov", name), NameMatch::kExact) << name;
    EXPECT_EQ(Match("Умєров", name), NameMatch::kExact) << name;
  }
  EXPECT_THAT(Search("Umerov"), ElementsAre("Rustem Umerov"));
  EXPECT_THAT(Search("Умєров"), ElementsAre("Rustem Umerov"));
  EXPECT_EQ(Match("Umerov", "Andriy Yermak"), NameMatch::kNone);
  EXPECT_EQ(Match("Yermak", "Rustem Umerov"), NameMatch::kNone);
}

TEST(NameSearchTest, YermakErmakAndCyrillic) {
  for (const char* query : {"Yermak", "Ermak", "Єрмак", "Iermak", "Ермак"}) {
    EXPECT_EQ(Match(query, "Andriy Yermak"), NameMatch::kExact) << query;
    EXPECT_EQ(Match(query, "Андрій Єрмак"), NameMatch::kExact) << query;
  }
}

TEST(NameSearchTest, AndriiSpellings) {
  for (const char* query : {"Andrii", "Andriy", "Andrij", "ANDRIY", "Андрій"}) {
    EXPECT_EQ(Match(query, "Андрій Єрмак"), NameMatch::kExact) << query;
    EXPECT_EQ(Match(query, "Andriy Yermak"), NameMatch::kExact) << query;
  }
}

TEST(NameSearchTest, OtherDelegationSpellings) {
  for (const char* query : {"Tochytsky", "Tochitskiy", "Tochytskyi", "Tochitsky"}) {
    EXPECT_EQ(Match(query, "Микола Точицький"), NameMatch::kExact) << query;
  }
  for (const char* query : {"Arakhamiya", "Arakhamia", "Arakhamiia"}) {
    EXPECT_EQ(Match(query, "Давид Арахамія"), NameMatch::kExact) << query;
  }
  for (const char* query : {"Kamyshyn", "Kamishin", "Kamyshin"}) {
    EXPECT_EQ(Match(query, "Олександр Камишін"), NameMatch::kExact) << query;
  }
  EXPECT_EQ(Match("Stefanchuk", "Руслан Стефанчук"), NameMatch::kExact);
  EXPECT_EQ(Match("Oksana Markarova", "Оксана Маркарова"), NameMatch::kExact);
  EXPECT_EQ(Match("David Arakhamia", "Давид Арахамія"), NameMatch::kExact);
}

TEST(NameSearchTest, CaseAndDiacriticsDoNotMatter) {
  for (const char* query : {"ZELENSKY", "zelensky", "Zelénsky", "Zele\u0301nsky" /* decomposed */,
                            "Zełenski", "Zelenskyj", "ЗЕЛЕНСЬКИЙ", "зеленський"}) {
    EXPECT_EQ(Match(query, "Volodymyr Zelensky"), NameMatch::kExact) << query;
  }
}

TEST(NameSearchTest, RanksExactBeforePrefixBeforeFuzzy) {
  EXPECT_EQ(Match("Zelenskiy", "Volodymyr Zelensky"), NameMatch::kExact);
  EXPECT_EQ(Match("zel", "Volodymyr Zelensky"), NameMatch::kPrefix);
  EXPECT_EQ(Match("Zelenskx", "Volodymyr Zelensky"), NameMatch::kFuzzy);
  EXPECT_LT(NameMatch::kFuzzy, NameMatch::kPrefix);
  EXPECT_LT(NameMatch::kPrefix, NameMatch::kExact);
  EXPECT_LT(NameMatch::kNone, NameMatch::kFuzzy);

  EXPECT_THAT(Search("Zelensky"), ElementsAre("Volodymyr Zelensky", "Olena Zelenska"));
  EXPECT_THAT(Search("Zelenska"), ElementsAre("Olena Zelenska", "Volodymyr Zelensky"));
  EXPECT_THAT(Search("zelensk"), ElementsAre("Volodymyr Zelensky", "Olena Zelenska"));
}

TEST(NameSearchTest, BidenIsAPrefixOfBidenkoButNotTheOtherWay) {
  EXPECT_EQ(Match("Biden", "Joseph Biden"), NameMatch::kExact);
  EXPECT_EQ(Match("Biden", "Joseph Bidenko"), NameMatch::kPrefix);  // deliberate: prefix search
  EXPECT_EQ(Match("Bidenko", "Joseph Biden"), NameMatch::kNone);
  EXPECT_EQ(Match("Joe Biden", "Joseph Biden"), NameMatch::kNone);  // nicknames are not variants
  EXPECT_EQ(Match("Josef Biden", "Joseph Biden"), NameMatch::kExact);
}

// ---------------------------------------------------------------------------------------------
// MatchName over words.

TEST(MatchNameTest, EveryQueryWordNeedsItsOwnNameWord) {
  EXPECT_EQ(Match("Volodymyr Zelensky", "Volodymyr Zelensky"), NameMatch::kExact);
  EXPECT_EQ(Match("Zelensky Volodymyr", "Volodymyr Zelensky"), NameMatch::kExact);
  EXPECT_EQ(Match("Zelensky, Volodymyr", "Володимир Зеленський"), NameMatch::kExact);
  EXPECT_EQ(Match("Zelensky Zelensky", "Volodymyr Zelensky"), NameMatch::kNone);
  EXPECT_EQ(Match("Volodymyr Oleksandrovych Zelensky", "Volodymyr Zelensky"), NameMatch::kNone);
  EXPECT_EQ(Match("Volodymyr Zelensky", "Volodymyr Oleksandrovych Zelensky"), NameMatch::kExact);
}

TEST(MatchNameTest, ResultIsTheWeakestWordMatch) {
  EXPECT_EQ(Match("Volodymyr Zel", "Volodymyr Zelensky"), NameMatch::kPrefix);
  EXPECT_EQ(Match("V Zelensky", "Volodymyr Zelensky"), NameMatch::kPrefix);
  EXPECT_EQ(Match("Volodymyr Zelenskx", "Volodymyr Zelensky"), NameMatch::kFuzzy);
  EXPECT_EQ(Match("Vol Zelenskx", "Volodymyr Zelensky"), NameMatch::kFuzzy);
  EXPECT_EQ(Match("Volodymyr Umerov", "Volodymyr Zelensky"), NameMatch::kNone);
}

TEST(MatchNameTest, FindsTheBestAssignmentOfWords) {
  // "iva" could take either word, "ivanenko" only the first: the matcher must move "iva".
  EXPECT_EQ(Match("Iva Ivanenko", "Ivanenko Ivan"), NameMatch::kPrefix);
  EXPECT_EQ(Match("Ivan Ivanenko", "Ivanenko Ivan"), NameMatch::kExact);
  EXPECT_EQ(Match("Iva Ivan", "Ivan Petrenko"), NameMatch::kNone);
  EXPECT_EQ(Match("Oleksandr Oleks", "Oleksandrenko Oleksandr"), NameMatch::kPrefix);
}

TEST(MatchNameTest, EmptyQueryOrNameMatchesNothing) {
  EXPECT_EQ(Match("", "Volodymyr Zelensky"), NameMatch::kNone);
  EXPECT_EQ(Match(" ,.- ", "Volodymyr Zelensky"), NameMatch::kNone);
  EXPECT_EQ(Match("Zelensky", ""), NameMatch::kNone);
  EXPECT_EQ(MatchName({}, {}), NameMatch::kNone);
}

TEST(MatchNameTest, FuzzyBudgetDependsOnLength) {
  // 4-7 letters: one edit.
  EXPECT_EQ(Match("Rostem", "Rustem Umerov"), NameMatch::kFuzzy);
  EXPECT_EQ(Match("Rostam", "Rustem Umerov"), NameMatch::kNone);
  EXPECT_EQ(Match("Ruslna", "Ruslan Stefanchuk"), NameMatch::kFuzzy);  // transposition
  EXPECT_EQ(Match("Umerof", "Rustem Umerov"), NameMatch::kFuzzy);
  EXPECT_EQ(Match("Umirof", "Rustem Umerov"), NameMatch::kNone);
  // 8+ letters: two edits.
  EXPECT_EQ(Match("Markarava", "Oksana Markarova"), NameMatch::kFuzzy);
  EXPECT_EQ(Match("Morkarava", "Oksana Markarova"), NameMatch::kFuzzy);
  EXPECT_EQ(Match("Morkorava", "Oksana Markarova"), NameMatch::kNone);
  // Against a prefix of the name word, for typing in progress.
  EXPECT_EQ(Match("Markrov", "Oksana Markarova"), NameMatch::kFuzzy);
  EXPECT_EQ(Match("Stefnch", "Ruslan Stefanchuk"), NameMatch::kFuzzy);  // "stefanch"
  EXPECT_EQ(Match("Stfnch", "Ruslan Stefanchuk"), NameMatch::kNone);    // two edits
}

TEST(MatchNameTest, NoFuzzyForShortWords) {
  EXPECT_EQ(Match("Zal", "Volodymyr Zelensky"), NameMatch::kNone);
  EXPECT_EQ(Match("Umr", "Rustem Umerov"), NameMatch::kNone);
  EXPECT_EQ(Match("Ivn", "Ivan Petrenko"), NameMatch::kNone);
  EXPECT_EQ(Match("Ivam", "Ivan Petrenko"), NameMatch::kFuzzy);
}

TEST(MatchNameTest, FuzzyTreatsGAndHAlike) {
  EXPECT_EQ(Match("Oleg", "Oleh Ivanenko"), NameMatch::kFuzzy);
  EXPECT_EQ(Match("Olga", "Olha Stefanishyna"), NameMatch::kFuzzy);
  EXPECT_EQ(Match("Sergey", "Serhiy Ivanenko"), NameMatch::kFuzzy);
  EXPECT_EQ(Match("Gennadiy", "Hennadii Ivanenko"), NameMatch::kFuzzy);
  // Not in the skeleton: Gary and Harry are different people.
  EXPECT_NE(Skeleton("Gary"), Skeleton("Harry"));
  EXPECT_EQ(Match("Harry", "Harry Gill"), NameMatch::kExact);
}

TEST(MatchNameTest, PrefixAllowsAQueryStoppedInsideADigraph) {
  // ie → e: "Umi" is the start of "Umierov" (skeleton "umerov").
  EXPECT_EQ(Match("Umi", "Rustem Umerov"), NameMatch::kPrefix);
  EXPECT_EQ(Match("Umi", "Umarov"), NameMatch::kNone);
  // ... and the rewritten letter may merge into the one before: "Andrei" starts "Andreyev".
  EXPECT_EQ(Match("Andrei", "Andreyev"), NameMatch::kPrefix);
  // ph → f: "Step" starts "Stephan" (skeleton "stefan").
  EXPECT_EQ(Match("Step", "Stefan Ivanenko"), NameMatch::kPrefix);
  EXPECT_EQ(Match("Josep", "Josef Biden"), NameMatch::kPrefix);
  // x → ks and the digraphs the skeleton keeps need no allowance.
  EXPECT_EQ(Match("Alex", "Aleksandr Ivanenko"), NameMatch::kPrefix);
  EXPECT_EQ(Match("Alek", "Alexander Ivanenko"), NameMatch::kPrefix);
  EXPECT_EQ(Match("Arak", "Давид Арахамія"), NameMatch::kPrefix);
  EXPECT_EQ(Match("Myk", "Mykhailo Fedorov"), NameMatch::kPrefix);
}

TEST(MatchNameTest, KhAndHAreDifferentLettersButOneEditApart) {
  // The national system spells х "kh" and г "h": Kholod and Holod are different families.
  EXPECT_NE(Skeleton("Kholod"), Skeleton("Holod"));
  EXPECT_EQ(Match("Holod", "Holod"), NameMatch::kExact);
  EXPECT_EQ(Match("Holod", "Kholod"), NameMatch::kFuzzy);
  // Spellings of х as h are found, ranked below exact spellings.
  EXPECT_EQ(Match("Mihail", "Mykhailo Fedorov"), NameMatch::kFuzzy);
  EXPECT_EQ(Match("Arahamia", "Давид Арахамія"), NameMatch::kFuzzy);
}

// ---------------------------------------------------------------------------------------------
// Skeletons.

TEST(NameSkeletonsTest, VariantsCollide) {
  const struct {
    const char* skeleton;
    std::vector<const char*> spellings;
  } kGroups[] = {
      {"zelenski",
       {"Zelensky", "Zelenskyy", "Zelenskiy", "Zelenskyi", "Zelenskii", "Zelenskij", "Zelenski",
        "Зеленський", "Зеленский", "ЗЕЛЕНСЬКИЙ", "Zelénsky", "Zełenski"}},
      {"volodimir", {"Volodymyr", "Wolodymyr", "Volodimir", "Володимир", "Wołodymyr"}},
      {"umerov", {"Umerov", "Umierov", "Умєров", "Умеров"}},
      {"ermak", {"Yermak", "Ermak", "Iermak", "Jermak", "Єрмак", "Ермак"}},
      {"andri", {"Andrii", "Andriy", "Andrij", "Андрій"}},
      {"tochitski", {"Tochytsky", "Tochitskiy", "Tochytskyi", "Точицький"}},
      {"arakhamia", {"Arakhamia", "Arakhamiya", "Arakhamiia", "Арахамія"}},
      {"kamishin", {"Kamyshin", "Kamyshyn", "Kamishin", "Камишін"}},
      {"oleksandr", {"Oleksandr", "Olexandr", "Олександр"}},
      {"mikhailo", {"Mykhailo", "Mykhaylo", "Михайло"}},
      {"maria", {"Mariia", "Mariya", "Maria", "Marija", "Марія"}},
      {"iuri", {"Yurii", "Yuriy", "Iurii", "Jurij", "Юрій"}},
      {"evhen", {"Yevhen", "Ievhen", "Evhen", "Євген"}},
      {"andrev", {"Andreyev", "Andreev", "Andriiev", "Андрієв"}},
      {"iosef", {"Joseph", "Josef", "Yosef"}},
      {"zgurski", {"Zghurskyi", "Zgurskiy", "Згурський"}},
      {"kovalski", {"Kovalskyi", "Kowalski", "Ковальський"}},
      {"obren", {"O'Brien", "O\u2019Brien", "OBrien"}},  // ie → e has a price
      {"mariana", {"Мар'яна", "Мар\u02BCяна", "Mariana", "Mar'yana"}},
      {"ana", {"Anna", "Ana", "Анна"}},
  };
  for (const auto& group : kGroups) {
    for (const char* spelling : group.spellings) {
      EXPECT_EQ(Skeleton(spelling), group.skeleton) << spelling;
    }
  }
}

TEST(NameSkeletonsTest, DistinctNamesStayApart) {
  std::vector<std::string> words;
  for (const Person& person : kPeople) {
    for (const std::string& word : NameSkeletons(person.latin)) words.push_back(word);
  }
  std::sort(words.begin(), words.end());
  EXPECT_EQ(std::adjacent_find(words.begin(), words.end()), words.end())
      << "two names share a skeleton";
  // Letters the rules must not merge.
  EXPECT_NE(Skeleton("Zhurskyi"), Skeleton("Zghurskyi"));  // ж vs зг
  EXPECT_NE(Skeleton("Iskhakov"), Skeleton("Ishakov"));    // сх vs ш
  EXPECT_NE(Skeleton("Zelensky"), Skeleton("Zelenska"));
  EXPECT_NE(Skeleton("Shevchenko"), Skeleton("Sevcenko"));
  EXPECT_NE(Skeleton("Maria"), Skeleton("Mara"));
}

TEST(NameSkeletonsTest, SplitsWordsAtSpacesPunctuationAndHyphens) {
  EXPECT_THAT(NameSkeletons("  Volodymyr \t Zelensky\n"), ElementsAre("volodimir", "zelenski"));
  EXPECT_THAT(NameSkeletons("Zelensky, Volodymyr (President)"),
              ElementsAre("zelenski", "volodimir", "president"));
  EXPECT_THAT(NameSkeletons("Kosiniak-Kamysz"), ElementsAre("kosiniak", "kamisz"));
  EXPECT_THAT(NameSkeletons("Kosiniak\u2013Kamysz"), ElementsAre("kosiniak", "kamisz"));
  EXPECT_THAT(NameSkeletons("Іванків\u00A0Франківськ"), ElementsAre("ivankiv", "frankivsk"));
  EXPECT_THAT(NameSkeletons("Charles III"), ElementsAre("charles", "i"));
  EXPECT_THAT(NameSkeletons("Boeing 747"), ElementsAre("boeing", "747"));
}

TEST(NameSkeletonsTest, DropsApostrophesAndInvisibleCharactersInsideWords) {
  EXPECT_THAT(NameSkeletons("d'Artagnan"), ElementsAre("dartagnan"));
  EXPECT_THAT(NameSkeletons("Zelen\u00ADsky"), ElementsAre("zelenski"));  // soft hyphen
  EXPECT_THAT(NameSkeletons("Zelen\u200Bsky"), ElementsAre("zelenski"));  // zero-width space
  EXPECT_THAT(NameSkeletons("'Zelensky'"), ElementsAre("zelenski"));
  // After an apostrophe a Ukrainian letter is not word-initial: я → ia, not ya.
  EXPECT_EQ(RomanizeUkrainian("Мар'яна"), "Mariana");
}

TEST(NameSkeletonsTest, NothingToSearchGivesNoWords) {
  for (const char* text : {"", " ", "\t\n ", "-- , ; !!", "''", "\u2014", "Ь", "\u0301", "😀"}) {
    EXPECT_THAT(NameSkeletons(text), IsEmpty()) << text;
  }
}

TEST(NameSkeletonsTest, FoldsLatinDiacritics) {
  EXPECT_THAT(NameSkeletons("Éöłşčžğı ÉÖŁŞČŽĞİ"), ElementsAre("eolsczgi", "eolsczgi"));
  EXPECT_THAT(NameSkeletons("Çàâãåñòùûüÿ"), ElementsAre("canoui"));  // doubles collapse
  EXPECT_THAT(NameSkeletons("Straße Ærø Œuvre Þór Đorđe"),
              ElementsAre("strase", "aero", "oeuvre", "thor", "dorde"));
  EXPECT_THAT(NameSkeletons("Ștefan Țiriac"), ElementsAre("stefan", "tiriac"));
  EXPECT_THAT(NameSkeletons("Łukasz Kłopotowski"), ElementsAre("lukasz", "klopotovski"));
}

TEST(NameSkeletonsTest, KeepsOtherScriptsAsWritten) {
  EXPECT_THAT(NameSkeletons("Κυριάκος Μητσοτάκης"), ElementsAre("Κυριάκος", "Μητσοτάκης"));
  EXPECT_EQ(Match("Μητσοτάκης", "Κυριάκος Μητσοτάκης"), NameMatch::kExact);
  EXPECT_EQ(Match("Μητσο", "Κυριάκος Μητσοτάκης"), NameMatch::kPrefix);
  EXPECT_EQ(Match("岸田文雄", "岸田文雄"), NameMatch::kExact);
}

TEST(NameSkeletonsTest, FoldingASkeletonAgainChangesNothing) {
  for (const Person& person : kPeople) {
    for (const char* text : {person.latin, person.native}) {
      if (text == nullptr) continue;
      for (const std::string& skeleton : NameSkeletons(text)) {
        EXPECT_THAT(NameSkeletons(skeleton), ElementsAre(skeleton));
      }
    }
  }
  for (const char* word : {"Andreyev", "Pkhov", "Iskhakov", "Zghurskyi", "Alexsandr", "Hugh"}) {
    const std::string skeleton = Skeleton(word);
    EXPECT_EQ(Skeleton(skeleton), skeleton) << word;
  }
}

TEST(NameSkeletonsTest, DropsInvalidUtf8) {
  // Split literals end the \x escapes.
  // clang-format off
  EXPECT_THAT(NameSkeletons("Zel\xFF" "ensky"), ElementsAre("zelenski"));
  EXPECT_THAT(NameSkeletons("Zel\x80" "ensky"), ElementsAre("zelenski"));  // stray continuation
  EXPECT_THAT(NameSkeletons("\xC3"), IsEmpty());                           // truncated at end
  EXPECT_THAT(NameSkeletons("\xE2\x82 z"), ElementsAre("z"));              // truncated
  EXPECT_THAT(NameSkeletons("\xC0\xAF" "a"), ElementsAre("a"));            // overlong '/'
  EXPECT_THAT(NameSkeletons("\xE0\x80\xAF" "a"), ElementsAre("a"));        // overlong
  EXPECT_THAT(NameSkeletons("\xED\xA0\x80" "a"), ElementsAre("a"));        // surrogate
  EXPECT_THAT(NameSkeletons("\xF4\x90\x80\x80" "b"), ElementsAre("b"));    // above U+10FFFF
  EXPECT_THAT(NameSkeletons("\xF8\x88\x80\x80\x80" "c"), ElementsAre("c"));
  EXPECT_EQ(RomanizeUkrainian("Ю\xFF" "рій"), "Yurii");
  // clang-format on
}

TEST(NameSkeletonsTest, RandomBytesDoNotCrash) {
  std::mt19937 random(20231206);
  std::uniform_int_distribution<int> byte(0, 255), length(0, 40);
  for (int round = 0; round < 20000; ++round) {
    std::string text(static_cast<size_t>(length(random)), '\0');
    for (char& c : text) c = static_cast<char>(byte(random));
    const std::vector<std::string> words = NameSkeletons(text);
    for (const std::string& word : words) {
      ASSERT_FALSE(word.empty());
      // Valid UTF-8 comes back out: decoding the skeleton again yields the same skeleton.
      ASSERT_THAT(NameSkeletons(word), ElementsAre(word));
    }
    (void)RomanizeUkrainian(text);
    (void)MatchName(words, NameSkeletons("Volodymyr Zelensky"));
  }
}

// ---------------------------------------------------------------------------------------------
// Romanization.

// The national system's table, one row per letter: spelling at the start of a word and after
// another letter.
struct TableRow {
  const char* upper;
  const char* lower;
  const char* initial;
  const char* later;
};
// clang-format off
constexpr TableRow kNationalTable[] = {
    {"А", "а", "a", "a"},    {"Б", "б", "b", "b"},       {"В", "в", "v", "v"},
    {"Г", "г", "h", "h"},    {"Ґ", "ґ", "g", "g"},       {"Д", "д", "d", "d"},
    {"Е", "е", "e", "e"},    {"Є", "є", "ye", "ie"},     {"Ж", "ж", "zh", "zh"},
    {"З", "з", "z", "z"},    {"И", "и", "y", "y"},       {"І", "і", "i", "i"},
    {"Ї", "ї", "yi", "i"},   {"Й", "й", "y", "i"},       {"К", "к", "k", "k"},
    {"Л", "л", "l", "l"},    {"М", "м", "m", "m"},       {"Н", "н", "n", "n"},
    {"О", "о", "o", "o"},    {"П", "п", "p", "p"},       {"Р", "р", "r", "r"},
    {"С", "с", "s", "s"},    {"Т", "т", "t", "t"},       {"У", "у", "u", "u"},
    {"Ф", "ф", "f", "f"},    {"Х", "х", "kh", "kh"},     {"Ц", "ц", "ts", "ts"},
    {"Ч", "ч", "ch", "ch"},  {"Ш", "ш", "sh", "sh"},     {"Щ", "щ", "shch", "shch"},
    {"Ь", "ь", "", ""},      {"Ю", "ю", "yu", "iu"},     {"Я", "я", "ya", "ia"},
    // Russian letters outside the Ukrainian alphabet.
    {"Ё", "ё", "yo", "yo"},  {"Ы", "ы", "y", "y"},       {"Э", "э", "e", "e"},
    {"Ъ", "ъ", "", ""},
};
// clang-format on

std::string Capitalized(std::string s) {
  if (!s.empty()) s[0] = absl::ascii_toupper(static_cast<unsigned char>(s[0]));
  return s;
}

TEST(RomanizeUkrainianTest, EveryLetterAtTheStartAndInsideAWord) {
  for (const TableRow& row : kNationalTable) {
    SCOPED_TRACE(row.lower);
    EXPECT_EQ(RomanizeUkrainian(row.lower), row.initial);
    EXPECT_EQ(RomanizeUkrainian(row.upper), Capitalized(row.initial));
    EXPECT_EQ(RomanizeUkrainian(absl::StrCat("а", row.lower)), absl::StrCat("a", row.later));
    EXPECT_EQ(RomanizeUkrainian(absl::StrCat("А", row.lower)), absl::StrCat("A", row.later));
    EXPECT_EQ(RomanizeUkrainian(absl::StrCat("А", row.upper)),
              absl::AsciiStrToUpper(absl::StrCat("a", row.later)));
    EXPECT_EQ(RomanizeUkrainian(absl::StrCat("а ", row.lower)), absl::StrCat("a ", row.initial));
    EXPECT_EQ(RomanizeUkrainian(absl::StrCat("а-", row.lower)), absl::StrCat("a-", row.initial));
  }
}

TEST(RomanizeUkrainianTest, ExamplesOfTheResolution) {
  const std::pair<const char*, const char*> kExamples[] = {
      {"Алушта", "Alushta"},
      {"Андрій", "Andrii"},
      {"Борщагівка", "Borshchahivka"},
      {"Вінниця", "Vinnytsia"},
      {"Гадяч", "Hadiach"},
      {"Згурський", "Zghurskyi"},
      {"Згорани", "Zghorany"},
      {"Розгон", "Rozghon"},
      {"Ґалаґан", "Galagan"},
      {"Ґорґани", "Gorgany"},
      {"Олег", "Oleh"},
      {"Єнакієве", "Yenakiieve"},
      {"Гаєвич", "Haievych"},
      {"Короп'є", "Koropie"},
      {"Житомир", "Zhytomyr"},
      {"Жежелів", "Zhezheliv"},
      {"Закарпаття", "Zakarpattia"},
      {"Медвин", "Medvyn"},
      {"Михайленко", "Mykhailenko"},
      {"Іванків", "Ivankiv"},
      {"Іващенко", "Ivashchenko"},
      {"Їжакевич", "Yizhakevych"},
      {"Кадиївка", "Kadyivka"},
      {"Мар'їне", "Marine"},
      {"Йосипівка", "Yosypivka"},
      {"Стрий", "Stryi"},
      {"Олексій", "Oleksii"},
      {"Київ", "Kyiv"},
      {"Миколаїв", "Mykolaiv"},
      {"Наталія", "Nataliia"},
      {"Рибчинський", "Rybchynskyi"},
      {"Соломія", "Solomiia"},
      {"Тернопіль", "Ternopil"},
      {"Троць", "Trots"},
      {"Ужгород", "Uzhhorod"},
      {"Уляна", "Uliana"},
      {"Харків", "Kharkiv"},
      {"Христина", "Khrystyna"},
      {"Біла Церква", "Bila Tserkva"},
      {"Стеценко", "Stetsenko"},
      {"Чернівці", "Chernivtsi"},
      {"Шевченко", "Shevchenko"},
      {"Кишеньки", "Kyshenky"},
      {"Щербухи", "Shcherbukhy"},
      {"Гоща", "Hoshcha"},
      {"Юрій", "Yurii"},
      {"Корюківка", "Koriukivka"},
      {"Яготин", "Yahotyn"},
      {"Костянтин", "Kostiantyn"},
      {"Знам'янка", "Znamianka"},
      {"Феодосія", "Feodosiia"},
      {"Запоріжжя", "Zaporizhzhia"},
  };
  for (const auto& [cyrillic, latin] : kExamples) {
    EXPECT_EQ(RomanizeUkrainian(cyrillic), latin) << cyrillic;
  }
}

TEST(RomanizeUkrainianTest, NamesOfTheDelegation) {
  EXPECT_EQ(RomanizeUkrainian("Володимир Зеленський"), "Volodymyr Zelenskyi");
  EXPECT_EQ(RomanizeUkrainian("Рустем Умєров"), "Rustem Umierov");
  EXPECT_EQ(RomanizeUkrainian("Андрій Єрмак"), "Andrii Yermak");
  EXPECT_EQ(RomanizeUkrainian("Руслан Стефанчук"), "Ruslan Stefanchuk");
  EXPECT_EQ(RomanizeUkrainian("Олександр Камишін"), "Oleksandr Kamyshin");
  EXPECT_EQ(RomanizeUkrainian("Микола Точицький"), "Mykola Tochytskyi");
  EXPECT_EQ(RomanizeUkrainian("Давид Арахамія"), "Davyd Arakhamiia");
  EXPECT_EQ(RomanizeUkrainian("Оксана Маркарова"), "Oksana Markarova");
}

TEST(RomanizeUkrainianTest, CapitalsAndOtherText) {
  EXPECT_EQ(RomanizeUkrainian("ЗЕЛЕНСЬКИЙ"), "ZELENSKYI");
  EXPECT_EQ(RomanizeUkrainian("ЮРІЙ Щука"), "YURII Shchuka");
  EXPECT_EQ(RomanizeUkrainian("Щ."), "Shch.");
  EXPECT_EQ(RomanizeUkrainian("Пётр Эрдоган"), "Pyotr Erdohan");
  EXPECT_EQ(RomanizeUkrainian("Zelensky, 2023! O'Brien"), "Zelensky, 2023! O'Brien");
  EXPECT_EQ(RomanizeUkrainian("Мар\u02BCяна і O\u2019Brien"), "Mariana i O\u2019Brien");
  EXPECT_EQ(RomanizeUkrainian(""), "");
}

// ---------------------------------------------------------------------------------------------
// Candidate keys.

TEST(CandidateKeyTest, GroupsFirstLettersThatVariantsAndSlipsSwap) {
  EXPECT_EQ(CandidateKey(""), "");
  EXPECT_EQ(CandidateKey("zelenski"), "s");
  EXPECT_EQ(CandidateKey("selenski"), "s");
  EXPECT_EQ(CandidateKey("oleksandr"), "a");
  EXPECT_EQ(CandidateKey("aleksandr"), "a");
  EXPECT_EQ(CandidateKey("ermak"), "a");
  EXPECT_EQ(CandidateKey("hennadi"), "c");
  EXPECT_EQ(CandidateKey("gennadi"), "c");
  EXPECT_EQ(CandidateKey("mikola"), "m");
  EXPECT_EQ(CandidateKey("747"), "7");
  EXPECT_EQ(CandidateKey("Μητσοτάκης"), "Μ");
  EXPECT_EQ(CandidateKey("岸田"), "岸");
}

TEST(CandidateKeyTest, FetchesEveryMatchTheTestsExpect) {
  // Each query word's key equals the key of a word of the name it matches, for matches of all
  // kinds, including variants whose first letters differ.
  const std::pair<const char*, const char*> kMatches[] = {
      {"zelensk", "Volodymyr Zelensky"},   {"Зеленськ", "Володимир Зеленський"},
      {"Selenskyj", "Volodymyr Zelensky"}, {"Aleksandr", "Oleksandr Kamyshin"},
      {"Ermak", "Андрій Єрмак"},           {"Gennadiy", "Hennadii Ivanenko"},
      {"Arak", "Davyd Arakhamia"},         {"Umi", "Rustem Umerov"},
      {"Zelenskx", "Volodymyr Zelensky"},  {"Josep", "Josef Biden"},
      {"Iva Ivanenko", "Ivanenko Ivan"},   {"V Zelensky", "Volodymyr Zelensky"},
  };
  for (const auto& [query_text, name_text] : kMatches) {
    SCOPED_TRACE(query_text);
    const std::vector<std::string> query = NameSkeletons(query_text);
    const std::vector<std::string> name = NameSkeletons(name_text);
    EXPECT_NE(MatchName(query, name), NameMatch::kNone);
    for (const std::string& q : query) {
      EXPECT_TRUE(std::any_of(name.begin(), name.end(), [&](const std::string& n) {
        return CandidateKey(n) == CandidateKey(q);
      }));
    }
  }
}

TEST(CandidateKeyTest, AWrongFirstLetterIsNotFetched) {
  // MatchName alone would call this fuzzy; the key deliberately does not fetch it.
  EXPECT_EQ(Match("Xelensky", "Volodymyr Zelensky"), NameMatch::kFuzzy);
  EXPECT_NE(CandidateKey(Skeleton("Xelensky")), CandidateKey(Skeleton("Zelensky")));
  EXPECT_THAT(Search("Xelensky"), IsEmpty());
}

}  // namespace
}  // namespace summit::registry
