#!/usr/bin/env bash
# Writes the seed inputs of the validator harnesses (protobuf wire format, which no one edits
# by hand) from the text-format messages below: fuzz/make-seeds.sh, then commit what changed.
# The other harnesses' seeds are plain text files in fuzz/corpus/NAME/.
set -euo pipefail
cd "$(dirname "$0")/.."
GOOGLEAPIS=/usr/share/gocode/src/github.com/gogo/googleapis

# seed HARNESS NAME SELECTOR TYPE TEXT: SELECTOR (a byte value, or "" for none) then TEXT
# encoded as the message TYPE, into fuzz/corpus/HARNESS/NAME.
seed() {
  local out="fuzz/corpus/$1/$2"
  mkdir -p "fuzz/corpus/$1"
  if [ -n "$3" ]; then printf "\\$(printf '%03o' "$3")" >"$out"; else : >"$out"; fi
  printf '%s' "$5" | protoc -Iprotos -I"$GOOGLEAPIS" --encode="$4" \
    protos/summit/registry/v1/resources.proto protos/summit/scheduling/v1/resources.proto \
    protos/summit/scheduling/v1/scheduling_service.proto \
    protos/summit/statements/v1/resources.proto >>"$out"
}

R=registry_validation_fuzzer
seed $R event 0 summit.registry.v1.Event 'name: "events/udib-2023" display_name: "Ukraine Defense Industrial Base Summit" kind: KIND_SUMMIT city: "Washington" country: "US" time_zone: "America/New_York" start_date {year: 2023 month: 12 day: 6} end_date {year: 2023 month: 12 day: 7} predecessor: "events/kyiv-forum-2023"'
seed $R event_bad_dates 0 summit.registry.v1.Event 'display_name: " " kind: KIND_FORUM city: "Kyiv" country: "ua" time_zone: "/etc/localtime" start_date {year: 2147483647 month: 13 day: -1} end_date {year: 1899 month: 2 day: 29}'
seed $R organization 1 summit.registry.v1.Organization 'display_name: "Acme Defense Systems" kind: KIND_DEFENSE_COMPANY country: "US" capabilities: "air-defense" capabilities: "artillery-ammunition" website: "https://acme.example"'
seed $R person 2 summit.registry.v1.Person 'display_name: "Rustem Umerov" native_name: "Рустем Умєров" title: "Minister of Defense" organization: "organizations/ua-mod" country: "UA" languages: "uk" languages: "en-US" email: "umerov@example.org" phone: "+380441234567"'
seed $R person_hostile 2 summit.registry.v1.Person 'display_name: "\u202eevil\u200b" country: "XX" languages: "sr-Latn" languages: "sr-Latn" email: "a@.b" phone: "+0123"'
seed $R delegation 3 summit.registry.v1.Delegation 'display_name: "Ukraine" country: "UA" head: "people/zelensky" members: "people/umerov" members: "people/yermak"'
seed $R participant 4 summit.registry.v1.Participant 'person: "people/umerov" role: ROLE_DELEGATE'
printf '\005Sanctions apply to this company.' >fuzz/corpus/$R/reason

S=scheduling_validation_fuzzer
seed $S room 0 summit.scheduling.v1.Room 'display_name: "East Room" kind: KIND_MEETING_ROOM capacity: 6'
seed $S session 1 summit.scheduling.v1.Session 'title: "Umerov and Hill" kind: KIND_BILATERAL start_time {seconds: 1701871200} end_time {seconds: 1701874800} room: "events/udib-2023/rooms/east-room" participants: "people/umerov" participants: "people/hill"'
seed $S session_extreme 1 summit.scheduling.v1.Session 'title: "x" kind: KIND_SITE_VISIT start_time {seconds: 9223372036854775807 nanos: -1} end_time {seconds: -9223372036854775808} participants: "people/a" participants: "people/a"'
seed $S meeting_request 2 summit.scheduling.v1.MeetingRequest 'requester: "people/umerov" invitee: "organizations/acme-defense" topic: "Air defense co-production" duration {seconds: 1800} priority: 5'
seed $S pair_rule 3 summit.scheduling.v1.PairRule 'organization_a: "organizations/acme-defense" organization_b: "organizations/borealis-arms" reason: "Export control"'
seed $S availability 4 summit.scheduling.v1.Availability 'name: "events/udib-2023/availabilities/umerov" unavailable {start_time {seconds: 1701871200} end_time {seconds: 1701878400}}'
seed $S schedule_options 5 summit.scheduling.v1.ScheduleOptions 'days {year: 2023 month: 12 day: 6} daily_start {hours: 9} daily_end {hours: 18} slot_duration {seconds: 1800} buffer {seconds: 300}'
seed $S regression-daily-start-hours-overflow 5 summit.scheduling.v1.ScheduleOptions 'daily_start {hours: 2147483647 minutes: 59} daily_end {hours: -2147483648} slot_duration {seconds: -9223372036854775808}'

T=statement_validation_fuzzer
seed $T quote "" summit.statements.v1.Statement 'kind: KIND_QUOTE title: "Unity" speakers: "people/zelensky" session: "events/udib-2023/sessions/opening" bodies {language_code: "uk" text: "Наша єдність — наша сила." original: true} bodies {language_code: "en" text: "Our unity is our strength."}'
seed $T joint "" summit.statements.v1.Statement 'kind: KIND_JOINT_STATEMENT title: "Joint statement on co-production" signatories: "events/udib-2023/delegations/ukraine" signatories: "events/udib-2023/delegations/united-states" embargo_session: "events/udib-2023/sessions/press" bodies {language_code: "en" text: "Both delegations agree.\n\tParagraph two." original: true}'
seed $T hostile "" summit.statements.v1.Statement 'kind: KIND_PRESS_RELEASE title: "\u202e" signatories: "events/other/delegations/x" embargo_time {seconds: -5 nanos: 1000000000} bodies {language_code: "EN" text: "a" original: true} bodies {language_code: "en" text: "" original: true}'
