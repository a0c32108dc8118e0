// Values of the common protobuf types that tests write by hand.
//
//   *event.mutable_start_date() = Day(2023, 12, 6);
#ifndef SUMMIT_TESTS_SUPPORT_PROTO_VALUES_H_
#define SUMMIT_TESTS_SUPPORT_PROTO_VALUES_H_

#include "google/type/date.pb.h"

namespace summit::testing {

// A whole calendar date.
inline google::type::Date Day(int year, int month, int day) {
  google::type::Date date;
  date.set_year(year);
  date.set_month(month);
  date.set_day(day);
  return date;
}

}  // namespace summit::testing

#endif  // SUMMIT_TESTS_SUPPORT_PROTO_VALUES_H_
