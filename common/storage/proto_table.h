// A table of protobuf resources: each row holds one resource serialized in a
// `data` BLOB, keyed by its ids (e.g. event_id, id), with a few plain columns
// copied out of it so that lists can filter and constraints can hold.
//
// One idea, one place: every store of every service keeps resources this
// way, so Get, Create, Replace, Delete and keyset-paged List are written once.
//
//   const ProtoTable<v1::Delegation> kDelegations{
//       "delegations", {"event_id", "id"},
//       {"country"}, [](const v1::Delegation& d) {
//         return std::vector<SqlValue>{d.country()};
//       }};
//   ASSIGN_OR_RETURN(std::optional<v1::Delegation> found,
//                    kDelegations.Find(tx, {event_id, delegation_id}));
//
// Table and column names come from code, never from requests; values are
// always bound.
#ifndef SUMMIT_COMMON_STORAGE_PROTO_TABLE_H_
#define SUMMIT_COMMON_STORAGE_PROTO_TABLE_H_

#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/status/macros.h"
#include "common/storage/database.h"

namespace summit::storage {

// A condition of a list: an SQL fragment written in code, e.g. "country = ?"
// or "EXISTS (SELECT …  = ?)", and the values of its `?`s, in order.
struct ListCondition {
  ListCondition(std::string sql, SqlValue value) : sql(std::move(sql)), values{std::move(value)} {}
  ListCondition(std::string sql, std::vector<SqlValue> values)
      : sql(std::move(sql)), values(std::move(values)) {}

  std::string sql;
  std::vector<SqlValue> values;
};

template <typename Resource>
class ProtoTable {
 public:
  using Columns = std::function<std::vector<SqlValue>(const Resource&)>;

  // `keys`: the key columns, the last one being the resource's own id (lists
  // are ordered and paged by it). `columns`/`column_values`: the plain
  // columns copied from the resource on every write, in the same order.
  ProtoTable(std::string table, std::vector<std::string> keys, std::vector<std::string> columns,
             Columns column_values)
      : table_(std::move(table)),
        keys_(std::move(keys)),
        columns_(std::move(columns)),
        column_values_(std::move(column_values)),
        find_sql_(absl::StrCat("SELECT data FROM ", table_, " WHERE ", KeyMatch())),
        insert_sql_(InsertSql()) {}

  const std::string& table() const { return table_; }

  // The resource with these key values, or nullopt.
  absl::StatusOr<std::optional<Resource>> Find(Transaction& tx,
                                               const std::vector<std::string>& key) const {
    ASSIGN_OR_RETURN(std::vector<Row> rows, tx.Query(find_sql_, KeyValues(key)));
    if (rows.empty()) return std::optional<Resource>();
    return Parse(rows.front());
  }

  // Inserts a new row; ALREADY_EXISTS when the key is taken.
  absl::Status Insert(Transaction& tx, const std::vector<std::string>& key,
                      const Resource& resource) const {
    return tx.Execute(insert_sql_, InsertValues(key, resource)).status();
  }
  // Insert through Transaction::ExecuteLater: for a body that passes the
  // error on, the ALREADY_EXISTS may come from its next statement or commit.
  absl::Status InsertLater(Transaction& tx, const std::vector<std::string>& key,
                           const Resource& resource) const {
    return tx.ExecuteLater(insert_sql_, InsertValues(key, resource));
  }

  // Replaces the stored resource (which must exist) and its columns.
  absl::Status Replace(Transaction& tx, const std::vector<std::string>& key,
                       const Resource& resource) const {
    std::vector<std::string> assignments;
    for (const std::string& column : columns_) assignments.push_back(column + " = ?");
    assignments.push_back("data = ?");
    std::vector<SqlValue> values = column_values_(resource);
    values.push_back(Blob{resource.SerializeAsString()});
    for (SqlValue& value : KeyValues(key)) values.push_back(std::move(value));
    ASSIGN_OR_RETURN(int64_t changed,
                     tx.Execute(absl::StrCat("UPDATE ", table_, " SET ",
                                             absl::StrJoin(assignments, ", "), " WHERE ",
                                             KeyMatch()),
                                values));
    if (changed != 1) return absl::InternalError(absl::StrCat("no row to replace in ", table_));
    return absl::OkStatus();
  }

  absl::Status Delete(Transaction& tx, const std::vector<std::string>& key) const {
    return tx.Execute(absl::StrCat("DELETE FROM ", table_, " WHERE ", KeyMatch()), KeyValues(key))
        .status();
  }

  // Up to `limit` resources whose leading keys equal `parent` (all but the
  // last key column; empty for top-level tables), meeting every condition,
  // with an id after `after_id`, in id order.
  absl::StatusOr<std::vector<Resource>> List(Transaction& tx, const std::vector<std::string>& parent,
                                             const std::vector<ListCondition>& conditions,
                                             const std::string& after_id, int limit) const {
    ASSIGN_OR_RETURN(std::vector<Row> rows, ListRows(tx, parent, conditions, after_id, limit));
    std::vector<Resource> resources;
    resources.reserve(rows.size());
    for (const Row& row : rows) {
      ASSIGN_OR_RETURN(Resource resource, Parse(row));
      resources.push_back(std::move(resource));
    }
    return resources;
  }

  // The rows List reads: `data` in column 0, then one column for each of
  // `extra`, SQL expressions written in code that may refer to the listed row
  // as `t` (e.g. a scalar subquery reading what the resource refers to), so
  // that a page and what it needs come in one query, not one more per row.
  absl::StatusOr<std::vector<Row>> ListRows(Transaction& tx, const std::vector<std::string>& parent,
                                            const std::vector<ListCondition>& conditions,
                                            const std::string& after_id, int limit,
                                            const std::vector<std::string>& extra = {}) const {
    std::vector<std::string> where;
    std::vector<SqlValue> values;
    for (size_t i = 0; i < parent.size(); ++i) {
      where.push_back(keys_[i] + " = ?");
      values.emplace_back(parent[i]);
    }
    for (const ListCondition& condition : conditions) {
      where.push_back("(" + condition.sql + ")");
      values.insert(values.end(), condition.values.begin(), condition.values.end());
    }
    where.push_back(keys_.back() + " > ?");
    values.emplace_back(after_id);
    values.emplace_back(int64_t{limit});
    std::string selected = "data";
    for (size_t i = 0; i < extra.size(); ++i) {
      // Named, so that no expression's own name (a subquery's `data`) is
      // taken for a column of the table in ORDER BY.
      absl::StrAppend(&selected, ", ", extra[i], " AS extra_", i);
    }
    return tx.Query(absl::StrCat("SELECT ", selected, " FROM ", table_, " AS t WHERE ",
                                 absl::StrJoin(where, " AND "), " ORDER BY ", keys_.back(),
                                 " LIMIT ?"),
                    values);
  }

  static absl::StatusOr<Resource> Parse(const Row& row, int column = 0) {
    Resource resource;
    if (!resource.ParseFromString(row.Text(column))) {
      return absl::DataLossError("a stored resource could not be read back");
    }
    return resource;
  }

 private:
  std::string KeyMatch() const {
    std::vector<std::string> parts;
    for (const std::string& key : keys_) parts.push_back(key + " = ?");
    return absl::StrJoin(parts, " AND ");
  }

  std::string InsertSql() const {
    std::vector<std::string> names = keys_;
    names.insert(names.end(), columns_.begin(), columns_.end());
    names.push_back("data");
    return absl::StrCat("INSERT INTO ", table_, " (", absl::StrJoin(names, ", "), ") VALUES (",
                        Placeholders(names.size()), ")");
  }

  // The values of InsertSql's placeholders: the key, the columns, the data.
  std::vector<SqlValue> InsertValues(const std::vector<std::string>& key,
                                     const Resource& resource) const {
    std::vector<SqlValue> values = KeyValues(key);
    for (SqlValue& value : column_values_(resource)) values.push_back(std::move(value));
    values.push_back(Blob{resource.SerializeAsString()});
    return values;
  }

  static std::vector<SqlValue> KeyValues(const std::vector<std::string>& key) {
    return std::vector<SqlValue>(key.begin(), key.end());
  }

  static std::string Placeholders(size_t count) {
    std::vector<std::string> marks(count, "?");
    return absl::StrJoin(marks, ", ");
  }

  std::string table_;
  std::vector<std::string> keys_;
  std::vector<std::string> columns_;
  Columns column_values_;
  std::string find_sql_;  // built once: Find is the hottest read of all
  std::string insert_sql_;
};

}  // namespace summit::storage

#endif  // SUMMIT_COMMON_STORAGE_PROTO_TABLE_H_
