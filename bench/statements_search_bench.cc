// Search latency of Statements over 100,000 published statements: Statements::SearchStatements
// called in this process (the domain layer and SQLite, no gRPC) by the public, one query at a
// time, page size 20, for a fixed mix of query classes; p50/p90/p99/max per class and overall.
//
//   statements_search_bench                         # 100,000 statements, 2,000 queries
//   statements_search_bench --statements=20000 --queries=500
//   statements_search_bench --db_path=/var/tmp/search.db   # keep the generated file, reuse it
//
// The statements (generated with --seed, not timed): each published and publicly visible, with
// an English body (the original) and a Ukrainian one, 20–80 words each, and a title of 3–8
// English words, drawn from vocabularies of 3,000 made-up Latin and 3,000 made-up Cyrillic
// words with a Zipf-like distribution (the word of rank r has weight 1/(r+1)), so that a few
// words are in almost every body and most are rare; four kinds. They are inserted through
// StatementsStore, 1,000 per transaction.
//
// The queries (the same --seed gives the same ones), in equal shares:
//   common    one of the 10 most frequent Latin words (the shortest: 2 letters, and matched
//             as prefixes like every word, so each is in 33–75 % of the 200,000 bodies)
//   rare      one Latin word of rank 1,000–2,999 (about 0.2–0.6 % of the bodies)
//   two       two Latin words of rank 10–300 (both required)
//   prefix    the first 3–5 letters (never the whole word) of a Latin word of rank below 500
//             and at least 4 letters
//   cyrillic  one Cyrillic word of rank 20–1,999
//   filtered  a Latin word of rank 10–300 with kind = KIND_QUOTE, or a Cyrillic word with
//             language = "uk"
// Every search must succeed; the first --warmup queries are run untimed.
//
// Prints a readable table, then one JSON line with the figures: wall-clock latency, and the
// CPU time the searching thread spent (user and system), which a loaded machine inflates less.
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "common/api/resource_meta.h"
#include "common/auth/principal.h"
#include "common/status/macros.h"
#include "common/storage/database.h"
#include "common/text/utf8.h"
#include "grpcpp/grpcpp.h"
#include "services/statements/feed_hub.h"
#include "services/statements/statement_peers.h"
#include "services/statements/statement_rules.h"
#include "services/statements/statements.h"
#include "services/statements/statements_schema.h"
#include "services/statements/statements_store.h"

ABSL_FLAG(int, statements, 100000, "published statements to search");
ABSL_FLAG(int, queries, 2000, "timed searches");
ABSL_FLAG(int, warmup, 100, "untimed searches first");
ABSL_FLAG(uint64_t, seed, 1, "seed of the statements and the queries");
ABSL_FLAG(std::string, dir, "", "folder for the throwaway database (default: $TMPDIR or /tmp)");
ABSL_FLAG(std::string, db_path, "",
          "keep the database at this path, and reuse it when it exists (it must have been made "
          "with the same --statements and --seed)");
ABSL_FLAG(double, target_p99_ms, 5.0, "the target, for the summary line");
ABSL_FLAG(std::string, dump, "",
          "instead of timing: write every query's first two pages (names, scores, snippets) to "
          "this file, to compare two versions of the search exactly");

namespace summit::bench {
namespace {

namespace v1 = ::summit::statements::v1;

constexpr char kEventId[] = "bench-2023";
constexpr char kEvent[] = "events/bench-2023";
constexpr int kVocabulary = 3000;
constexpr int kPerTransaction = 1000;

// Made-up words from syllables: pronounceable, unique, and with the prefixes shared the way
// real words share them.
std::vector<std::string> MakeWords(const std::vector<std::string>& consonants,
                                   const std::vector<std::string>& vowels, int count,
                                   std::mt19937_64& random) {
  std::set<std::string> seen;
  std::vector<std::string> words;
  while (static_cast<int>(words.size()) < count) {
    const int syllables = 1 + static_cast<int>(random() % 3) + (random() % 4 == 0 ? 1 : 0);
    std::string word;
    for (int s = 0; s < syllables; ++s) {
      word += consonants[random() % consonants.size()];
      word += vowels[random() % vowels.size()];
    }
    if (random() % 3 == 0) word += consonants[random() % consonants.size()];
    if (seen.insert(word).second) words.push_back(word);
  }
  // Frequent words are short, as in real languages: rank by length, ties in generated order.
  std::stable_sort(words.begin(), words.end(), [](const std::string& a, const std::string& b) {
    return text::DecodeUtf8(a).size() < text::DecodeUtf8(b).size();
  });
  return words;
}

struct Vocabulary {
  std::vector<std::string> latin, cyrillic;
  std::vector<double> cumulative;  // Zipf weights 1/(r+1), summed

  explicit Vocabulary(std::mt19937_64& random) {
    latin = MakeWords({"b", "c", "d", "f", "g", "h", "k", "l", "m", "n", "p", "r", "s", "t", "v",
                       "w", "z", "st", "tr", "pl"},
                      {"a", "e", "i", "o", "u", "ou", "ea"}, kVocabulary, random);
    cyrillic = MakeWords({"б", "в", "г", "д", "ж", "з", "к", "л", "м", "н", "п", "р", "с", "т",
                          "х", "ц", "ч", "ш", "ст", "пр"},
                         {"а", "е", "и", "і", "о", "у", "ю", "я", "є", "ї"}, kVocabulary, random);
    double sum = 0;
    for (int r = 0; r < kVocabulary; ++r) cumulative.push_back(sum += 1.0 / (r + 1));
  }

  int ZipfRank(std::mt19937_64& random) const {
    const double u = std::uniform_real_distribution<double>(0, cumulative.back())(random);
    return static_cast<int>(std::lower_bound(cumulative.begin(), cumulative.end(), u) -
                            cumulative.begin());
  }

  std::string Text(const std::vector<std::string>& words, int min_words, int max_words,
                   std::mt19937_64& random) const {
    const int n = min_words + static_cast<int>(random() % (max_words - min_words + 1));
    std::string text;
    for (int i = 0; i < n; ++i) {
      if (i > 0) text += (i % 12 == 0) ? ". " : (i % 5 == 0 ? ", " : " ");
      text += words[ZipfRank(random)];
    }
    return text + ".";
  }
};

std::string StatementId(int i) { return absl::StrFormat("s-%06d", i); }

// Fills a new database with `count` published, publicly visible statements.
absl::Status Generate(storage::Database& database, const Vocabulary& vocabulary, int count,
                      std::mt19937_64& random) {
  RETURN_IF_ERROR(database.ApplyMigrations(statements::StatementsMigrations()).status());
  const v1::Statement::Kind kinds[] = {v1::Statement::KIND_QUOTE, v1::Statement::KIND_PRESS_RELEASE,
                                       v1::Statement::KIND_COMMUNIQUE,
                                       v1::Statement::KIND_TRANSCRIPT};
  const absl::Time start = absl::FromCivil(absl::CivilSecond(2023, 9, 6, 9, 0, 0), absl::UTCTimeZone());
  for (int first = 0; first < count; first += kPerTransaction) {
    RETURN_IF_ERROR(database.Write([&](storage::Transaction& tx) -> absl::Status {
      statements::StatementsStore store(tx);
      for (int i = first; i < std::min(count, first + kPerTransaction); ++i) {
        const absl::Time created = start + absl::Seconds(2 * i);
        const absl::Time published = created + absl::Minutes(30);
        v1::Statement statement;
        statement.set_name(absl::StrCat(kEvent, "/statements/", StatementId(i)));
        statement.set_kind(kinds[random() % 4]);
        statement.set_title(vocabulary.Text(vocabulary.latin, 3, 8, random));
        v1::StatementBody* en = statement.add_bodies();
        en->set_language_code("en");
        en->set_text(vocabulary.Text(vocabulary.latin, 20, 80, random));
        en->set_original(true);
        v1::StatementBody* uk = statement.add_bodies();
        uk->set_language_code("uk");
        uk->set_text(vocabulary.Text(vocabulary.cyrillic, 20, 80, random));
        statement.set_revision_id("1");
        statement.set_text_hash(statements::TextHash(statement.title(), statement.bodies()));
        api::StampCreated(statement, created);
        statement.set_state(v1::Statement::STATE_PUBLISHED);
        *statement.mutable_publish_time() = api::ToTimestamp(published);
        api::StampUpdated(statement, published);
        // The published first revision, as CreateStatement and PublishStatement store it.
        v1::StatementRevision revision;
        revision.set_name(absl::StrCat(statement.name(), "/revisions/1"));
        revision.set_revision_id("1");
        revision.set_title(statement.title());
        *revision.mutable_bodies() = statement.bodies();
        revision.set_text_hash(statement.text_hash());
        *revision.mutable_create_time() = api::ToTimestamp(created);
        *revision.mutable_publish_time() = api::ToTimestamp(published);
        RETURN_IF_ERROR(store.Insert(kEventId, StatementId(i), statement, revision));
      }
      return absl::OkStatus();
    }));
  }
  return absl::OkStatus();
}

absl::StatusOr<int64_t> CountPublic(storage::Database& database) {
  int64_t count = 0;
  RETURN_IF_ERROR(database.Read([&](storage::Transaction& tx) -> absl::Status {
    ASSIGN_OR_RETURN(std::vector<storage::Row> rows,
                     tx.Query("SELECT COUNT(*) FROM statements WHERE event_id = ? AND "
                              "public_visible = 1",
                              {std::string(kEventId)}));
    count = rows.front().Int(0);
    return absl::OkStatus();
  }));
  return count;
}

struct Query {
  std::string query_class;
  std::string words;
  std::string filter;
};

const char* const kClasses[] = {"common", "rare", "two", "prefix", "cyrillic", "filtered"};

std::vector<Query> MakeQueries(const Vocabulary& vocabulary, int count, std::mt19937_64& random) {
  const auto rank = [&](int low, int high) {  // uniform in [low, high]
    return low + static_cast<int>(random() % (high - low + 1));
  };
  std::vector<Query> queries;
  for (int i = 0; i < count; ++i) {
    Query q;
    q.query_class = kClasses[random() % 6];
    if (q.query_class == "common") {
      q.words = vocabulary.latin[rank(0, 9)];
    } else if (q.query_class == "rare") {
      q.words = vocabulary.latin[rank(1000, kVocabulary - 1)];
    } else if (q.query_class == "two") {
      q.words = absl::StrCat(vocabulary.latin[rank(10, 300)], " ", vocabulary.latin[rank(10, 300)]);
    } else if (q.query_class == "prefix") {
      // What someone typing a longer word has typed so far: 3–5 letters and never all of it.
      std::string word;
      while (word.size() < 4) word = vocabulary.latin[rank(0, 499)];
      q.words = word.substr(0, std::min<size_t>(word.size() - 1, rank(3, 5)));
    } else if (q.query_class == "cyrillic") {
      q.words = vocabulary.cyrillic[rank(20, 1999)];
    } else if (random() % 2 == 0) {
      q.words = vocabulary.latin[rank(10, 300)];
      q.filter = "kind = KIND_QUOTE";
    } else {
      q.words = vocabulary.cyrillic[rank(10, 300)];
      q.filter = "language = \"uk\"";
    }
    queries.push_back(std::move(q));
  }
  return queries;
}

// This thread's CPU time: beside the wall time, what a search costs on a machine others load.
double ThreadCpuMs() {
  timespec now{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
  return now.tv_sec * 1e3 + now.tv_nsec / 1e6;
}

double Percentile(const std::vector<double>& sorted, double p) {
  if (sorted.empty()) return 0;
  return sorted[std::min(sorted.size() - 1, static_cast<size_t>(p * sorted.size()))];
}

struct ClassFigures {
  std::vector<double> ms;
  std::vector<double> cpu_ms;  // this thread's CPU time (user and system) per search
  int64_t results = 0;  // over all its searches
  int full_pages = 0;   // searches that filled the page (20 results)
};

// Writes what each query finds on its first two pages, exactly, for comparing two versions of
// the search.
absl::Status Dump(statements::Statements& domain, const statements::Caller& caller,
                  const std::vector<Query>& queries, const std::string& file) {
  std::ofstream out(file);
  for (const Query& q : queries) {
    out << "query \"" << q.words << "\" [" << q.filter << "]\n";
    std::string token;
    for (int page = 0; page < 2; ++page) {
      v1::SearchStatementsRequest request;
      request.set_parent(kEvent);
      request.set_query(q.words);
      request.set_filter(q.filter);
      request.set_page_size(20);
      request.set_page_token(token);
      ASSIGN_OR_RETURN(v1::SearchStatementsResponse response,
                       domain.SearchStatements(caller, request));
      for (const v1::SearchResult& result : response.results()) {
        out << "  " << result.statement().name() << absl::StrFormat(" %.17g", result.score());
        for (const v1::Snippet& snippet : result.snippets()) {
          out << " | " << snippet.language_code() << ":";
          for (const v1::SnippetPart& part : snippet.parts()) {
            out << (part.highlighted() ? "[" : "") << part.text() << (part.highlighted() ? "]" : "");
          }
        }
        out << "\n";
      }
      token = response.next_page_token();
      out << "  page " << page << " next " << (token.empty() ? "none" : "yes") << "\n";
      if (token.empty()) break;
    }
  }
  return out.good() ? absl::OkStatus() : absl::DataLossError("cannot write " + file);
}

int Main() {
  const int count = absl::GetFlag(FLAGS_statements);
  const uint64_t seed = absl::GetFlag(FLAGS_seed);
  std::mt19937_64 random(seed);
  const Vocabulary vocabulary(random);

  std::string dir;
  std::string path = absl::GetFlag(FLAGS_db_path);
  if (path.empty()) {
    std::string parent = absl::GetFlag(FLAGS_dir);
    if (parent.empty()) parent = getenv("TMPDIR") != nullptr ? getenv("TMPDIR") : "/tmp";
    std::string pattern = parent + "/statements-search-bench-XXXXXX";
    if (mkdtemp(pattern.data()) == nullptr) {
      std::perror("mkdtemp");
      return 1;
    }
    dir = pattern;
    path = dir + "/statements.db";
  }
  struct RemoveDir {
    std::string dir;
    ~RemoveDir() {
      std::error_code ignored;
      if (!dir.empty()) std::filesystem::remove_all(dir, ignored);
    }
  } remove_dir{dir};

  const bool reuse = std::filesystem::exists(path);
  absl::StatusOr<std::unique_ptr<storage::Database>> database =
      storage::Database::Open(absl::StrCat("sqlite://", path));
  if (!database.ok()) {
    std::fprintf(stderr, "open %s: %s\n", path.c_str(), database.status().ToString().c_str());
    return 1;
  }
  absl::Time t0 = absl::Now();
  std::mt19937_64 generate_random(seed + 1);
  // A kept file made by an earlier version gets the migrations added since.
  if (const absl::StatusOr<int> migrated =
          (*database)->ApplyMigrations(statements::StatementsMigrations());
      !migrated.ok()) {
    std::fprintf(stderr, "migrate: %s\n", migrated.status().ToString().c_str());
    return 1;
  }
  if (!reuse) {
    const absl::Status generated = Generate(**database, vocabulary, count, generate_random);
    if (!generated.ok()) {
      std::fprintf(stderr, "generate: %s\n", generated.ToString().c_str());
      return 1;
    }
  }
  const double generate_s = absl::ToDoubleSeconds(absl::Now() - t0);
  absl::StatusOr<int64_t> stored = CountPublic(**database);
  if (!stored.ok() || *stored != count) {
    std::fprintf(stderr, "%s holds %lld public statements, not %d\n", path.c_str(),
                 stored.ok() ? static_cast<long long>(*stored) : -1LL, count);
    return 1;
  }
  std::error_code size_error;
  const double megabytes = std::filesystem::file_size(path, size_error) / 1e6;

  // Search calls no peer: the channels point at a port nothing listens on.
  statements::StatementPeers peers(
      grpc::CreateChannel("127.0.0.1:9", grpc::InsecureChannelCredentials()),
      grpc::CreateChannel("127.0.0.1:9", grpc::InsecureChannelCredentials()));
  statements::FeedHub feed;
  statements::Statements domain(**database, peers, feed);
  const statements::Caller public_caller{auth::Principal::Public(),
                                         [] { return std::make_unique<grpc::ClientContext>(); }};

  const int warmup = std::max(0, absl::GetFlag(FLAGS_warmup));
  const std::vector<Query> queries =
      MakeQueries(vocabulary, warmup + absl::GetFlag(FLAGS_queries), random);
  if (!absl::GetFlag(FLAGS_dump).empty()) {
    const absl::Status dumped = Dump(domain, public_caller, queries, absl::GetFlag(FLAGS_dump));
    if (!dumped.ok()) std::fprintf(stderr, "dump: %s\n", dumped.ToString().c_str());
    return dumped.ok() ? 0 : 1;
  }
  std::map<std::string, ClassFigures> by_class;
  std::vector<double> all_ms;
  std::vector<double> all_cpu_ms;
  std::map<std::string, std::pair<double, std::string>> slowest;  // class → (ms, query)
  for (size_t i = 0; i < queries.size(); ++i) {
    const Query& q = queries[i];
    v1::SearchStatementsRequest request;
    request.set_parent(kEvent);
    request.set_query(q.words);
    request.set_filter(q.filter);
    request.set_page_size(20);
    const absl::Time sent = absl::Now();
    const double cpu_before = ThreadCpuMs();
    absl::StatusOr<v1::SearchStatementsResponse> response =
        domain.SearchStatements(public_caller, request);
    const double cpu_ms = ThreadCpuMs() - cpu_before;
    const double ms = absl::ToDoubleMilliseconds(absl::Now() - sent);
    if (!response.ok()) {
      std::fprintf(stderr, "search \"%s\" [%s]: %s\n", q.words.c_str(), q.filter.c_str(),
                   response.status().ToString().c_str());
      return 1;
    }
    if (static_cast<int>(i) < warmup) continue;
    ClassFigures& figures = by_class[q.query_class];
    figures.ms.push_back(ms);
    figures.cpu_ms.push_back(cpu_ms);
    all_cpu_ms.push_back(cpu_ms);
    figures.results += response->results_size();
    if (response->results_size() == 20) ++figures.full_pages;
    all_ms.push_back(ms);
    auto& worst = slowest[q.query_class];
    if (ms > worst.first) worst = {ms, absl::StrCat("\"", q.words, "\"", q.filter.empty() ? "" : " ", q.filter)};
  }

  std::printf("statements_search_bench: %d statements (%s, %.0f MB, %s), %zu queries after %d "
              "warm-up, seed %llu\n",
              count, reuse ? "reused" : absl::StrFormat("generated in %.1f s", generate_s).c_str(),
              megabytes, path.c_str(), all_ms.size(), warmup,
              static_cast<unsigned long long>(seed));
  std::printf("common words: %s\n",
              absl::StrJoin(vocabulary.latin.begin(), vocabulary.latin.begin() + 10, " ").c_str());
  std::printf("%-9s %6s %9s %9s %9s %9s %11s %11s %12s %10s  %s\n", "class", "n", "p50 ms",
              "p90 ms", "p99 ms", "max ms", "cpu p50 ms", "cpu p99 ms", "mean results",
              "full pages", "slowest");
  std::string json = absl::StrFormat("{\"statements\":%d,\"queries\":%zu,\"seed\":%llu", count,
                                     all_ms.size(), static_cast<unsigned long long>(seed));
  for (const char* name : kClasses) {
    ClassFigures& figures = by_class[name];
    std::sort(figures.ms.begin(), figures.ms.end());
    std::sort(figures.cpu_ms.begin(), figures.cpu_ms.end());
    const size_t n = figures.ms.size();
    std::printf("%-9s %6zu %9.2f %9.2f %9.2f %9.2f %11.2f %11.2f %12.1f %10d  %s\n", name, n,
                Percentile(figures.ms, 0.5), Percentile(figures.ms, 0.9),
                Percentile(figures.ms, 0.99), n ? figures.ms.back() : 0.0,
                Percentile(figures.cpu_ms, 0.5), Percentile(figures.cpu_ms, 0.99),
                n ? static_cast<double>(figures.results) / n : 0.0, figures.full_pages,
                slowest[name].second.c_str());
    absl::StrAppendFormat(&json, ",\"%s\":{\"n\":%d,\"p50_ms\":%.2f,\"p90_ms\":%.2f,\"p99_ms\":%.2f,\"max_ms\":%.2f,\"cpu_p50_ms\":%.2f,\"cpu_p99_ms\":%.2f}",
                          name, n, Percentile(figures.ms, 0.5), Percentile(figures.ms, 0.9),
                          Percentile(figures.ms, 0.99), n ? figures.ms.back() : 0.0,
                          Percentile(figures.cpu_ms, 0.5), Percentile(figures.cpu_ms, 0.99));
  }
  std::sort(all_ms.begin(), all_ms.end());
  std::sort(all_cpu_ms.begin(), all_cpu_ms.end());
  const double p99 = Percentile(all_ms, 0.99);
  std::printf("%-9s %6zu %9.2f %9.2f %9.2f %9.2f %11.2f %11.2f\n", "overall", all_ms.size(),
              Percentile(all_ms, 0.5), Percentile(all_ms, 0.9), p99, all_ms.back(),
              Percentile(all_cpu_ms, 0.5), Percentile(all_cpu_ms, 0.99));
  const double target = absl::GetFlag(FLAGS_target_p99_ms);
  std::printf("overall p99 %.2f ms (target ≤ %.1f ms: %s)\n", p99, target,
              p99 <= target ? "met" : "missed");
  std::printf("%s,\"overall\":{\"p50_ms\":%.2f,\"p90_ms\":%.2f,\"p99_ms\":%.2f,\"max_ms\":%.2f,"
              "\"cpu_p50_ms\":%.2f,\"cpu_p99_ms\":%.2f}}\n",
              json.c_str(), Percentile(all_ms, 0.5), Percentile(all_ms, 0.9), p99, all_ms.back(),
              Percentile(all_cpu_ms, 0.5), Percentile(all_cpu_ms, 0.99));
  return 0;
}

}  // namespace
}  // namespace summit::bench

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(
      "statements_search_bench: SearchStatements latency over 100,000 generated statements, "
      "in process");
  absl::ParseCommandLine(argc, argv);
  return summit::bench::Main();
}
