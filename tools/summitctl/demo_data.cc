#include "tools/summitctl/demo_data.h"

#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"

namespace summit::ctl {
namespace {

namespace v1 = registry::v1;

google::type::Date Day(int year, int month, int day) {
  google::type::Date date;
  date.set_year(year);
  date.set_month(month);
  date.set_day(day);
  return date;
}

v1::CreateEventRequest Event(const std::string& id, const std::string& display_name,
                             v1::Event::Kind kind, const std::string& city,
                             const std::string& country, const std::string& time_zone,
                             google::type::Date start, google::type::Date end,
                             const std::string& predecessor, v1::Event::State state) {
  v1::CreateEventRequest request;
  request.set_event_id(id);
  request.set_request_id(absl::StrCat("demo-event-", id));
  v1::Event* event = request.mutable_event();
  event->set_display_name(display_name);
  event->set_kind(kind);
  event->set_city(city);
  event->set_country(country);
  event->set_time_zone(time_zone);
  *event->mutable_start_date() = start;
  *event->mutable_end_date() = end;
  event->set_predecessor(predecessor);
  event->set_state(state);
  return request;
}

v1::CreateOrganizationRequest Organization(const std::string& id, const std::string& display_name,
                                           v1::Organization::Kind kind, const std::string& country,
                                           std::vector<std::string> capabilities = {},
                                           const std::string& website = "") {
  v1::CreateOrganizationRequest request;
  request.set_organization_id(id);
  request.set_request_id(absl::StrCat("demo-organization-", id));
  v1::Organization* organization = request.mutable_organization();
  organization->set_display_name(display_name);
  organization->set_kind(kind);
  organization->set_country(country);
  for (std::string& capability : capabilities) organization->add_capabilities(std::move(capability));
  organization->set_website(website);
  return request;
}

v1::CreatePersonRequest Person(const std::string& id, const std::string& display_name,
                               const std::string& native_name, const std::string& title,
                               const std::string& organization, const std::string& country,
                               std::vector<std::string> languages, const std::string& email = "",
                               const std::string& phone = "") {
  v1::CreatePersonRequest request;
  request.set_person_id(id);
  request.set_request_id(absl::StrCat("demo-person-", id));
  v1::Person* person = request.mutable_person();
  person->set_display_name(display_name);
  person->set_native_name(native_name);
  person->set_title(title);
  if (!organization.empty()) person->set_organization(absl::StrCat("organizations/", organization));
  person->set_country(country);
  for (std::string& language : languages) person->add_languages(std::move(language));
  person->set_email(email);
  person->set_phone(phone);
  return request;
}

v1::CreateParticipantRequest Accreditation(const std::string& event_id, const std::string& person_id,
                                           v1::Participant::Role role) {
  v1::CreateParticipantRequest request;
  request.set_parent(absl::StrCat("events/", event_id));
  request.set_request_id(absl::StrCat("demo-participant-", event_id, "-", person_id));
  request.mutable_participant()->set_person(absl::StrCat("people/", person_id));
  request.mutable_participant()->set_role(role);
  return request;
}

constexpr int kRepresentativesPerCompany = 5;
const char* const kGivenNames[] = {"Avery", "Blake", "Casey", "Drew",  "Emerson",
                                   "Finley", "Harper", "Jamie", "Morgan", "Quinn"};
const char* const kFamilyNames[] = {"Abbott", "Brennan", "Calloway", "Dalton", "Ellison",
                                    "Fairbanks", "Garrison", "Hollis", "Langford", "Whitaker"};
// The delegation members industry asks to meet.
const char* const kDelegationMembers[] = {"umerov",     "yermak",    "stefanchuk", "kamyshin",
                                          "tochytskyi", "arakhamia", "markarova"};

std::vector<std::string> IndustryCompanies() {
  return {"liberty-air-defense", "prairie-munitions", "dnipro-drone-works", "cascade-avionics",
          "granite-armor", "harbor-naval-systems", "summit-sensors", "keystone-logistics"};
}

}  // namespace

RegistryDemo MakeRegistryDemo() {
  RegistryDemo demo;
  demo.events = {
      Event("kyiv-difo-2023", "International Defense Industries Forum", v1::Event::KIND_FORUM,
            "Kyiv", "UA", "Europe/Kyiv", Day(2023, 9, 29), Day(2023, 9, 29), "",
            v1::Event::STATE_CONCLUDED),
      Event(kDemoEventId, "Ukraine Defense Industrial Base Summit", v1::Event::KIND_SUMMIT,
            "Washington", "US", "America/New_York", Day(2023, 12, 6), Day(2023, 12, 7),
            "events/kyiv-difo-2023", v1::Event::STATE_CONFIRMED),
  };

  using O = v1::Organization;
  demo.organizations = {
      Organization("ua-presidential-office", "Office of the President of Ukraine",
                   O::KIND_GOVERNMENT_BODY, "UA", {}, "https://www.president.gov.ua"),
      Organization("ua-mod", "Ministry of Defence of Ukraine", O::KIND_GOVERNMENT_BODY, "UA",
                   {}, "https://www.mil.gov.ua"),
      Organization("ua-strategic-industries", "Ministry of Strategic Industries of Ukraine",
                   O::KIND_GOVERNMENT_BODY, "UA", {"defense-production"}),
      Organization("ua-mfa", "Ministry of Foreign Affairs of Ukraine", O::KIND_GOVERNMENT_BODY,
                   "UA", {}, "https://mfa.gov.ua"),
      Organization("verkhovna-rada", "Verkhovna Rada of Ukraine", O::KIND_LEGISLATURE, "UA", {},
                   "https://www.rada.gov.ua"),
      Organization("servant-of-the-people", "Servant of the People", O::KIND_POLITICAL_PARTY,
                   "UA"),
      Organization("ua-embassy-us", "Embassy of Ukraine in the United States",
                   O::KIND_DIPLOMATIC_MISSION, "UA"),
      Organization("white-house", "The White House", O::KIND_GOVERNMENT_BODY, "US", {},
                   "https://www.whitehouse.gov"),
      Organization("us-congress", "United States Congress", O::KIND_LEGISLATURE, "US"),
      Organization("pentagon", "U.S. Department of Defense (the Pentagon)",
                   O::KIND_GOVERNMENT_BODY, "US", {}, "https://www.defense.gov"),
      Organization("us-state-department", "U.S. Department of State", O::KIND_GOVERNMENT_BODY,
                   "US", {}, "https://www.state.gov"),
      Organization("us-commerce-department", "U.S. Department of Commerce",
                   O::KIND_GOVERNMENT_BODY, "US", {"export-control"}),
      // Fictional stand-ins for the industry, think tanks and media.
      Organization("liberty-air-defense", "Liberty Air Defense Systems (demo)",
                   O::KIND_DEFENSE_COMPANY, "US", {"air-defense", "radar"}),
      Organization("prairie-munitions", "Prairie Munitions Works (demo)", O::KIND_DEFENSE_COMPANY,
                   "US", {"artillery-ammunition"}),
      Organization("dnipro-drone-works", "Dnipro Drone Works (demo)", O::KIND_DEFENSE_COMPANY,
                   "UA", {"uav", "electronic-warfare"}),
      Organization("cascade-avionics", "Cascade Avionics (demo)", O::KIND_DEFENSE_COMPANY, "US",
                   {"avionics", "air-defense"}),
      Organization("granite-armor", "Granite Armor Works (demo)", O::KIND_DEFENSE_COMPANY, "US",
                   {"armored-vehicles"}),
      Organization("harbor-naval-systems", "Harbor Naval Systems (demo)", O::KIND_DEFENSE_COMPANY,
                   "US", {"naval-drones"}),
      Organization("summit-sensors", "Summit Sensors (demo)", O::KIND_DEFENSE_COMPANY, "US",
                   {"radar", "electronic-warfare"}),
      Organization("keystone-logistics", "Keystone Defense Logistics (demo)",
                   O::KIND_DEFENSE_COMPANY, "US", {"logistics"}),
      Organization("atlantic-security-institute", "Atlantic Security Institute (demo)",
                   O::KIND_THINK_TANK, "US"),
      Organization("summit-press-pool", "Summit Press Pool (demo)", O::KIND_MEDIA, "US"),
      Organization("summit-secretariat", "Summit Secretariat (demo)", O::KIND_OTHER, "US"),
  };

  demo.people = {
      Person("zelensky", "Volodymyr Zelensky", "Володимир Зеленський", "President of Ukraine",
             "ua-presidential-office", "UA", {"uk", "en"}),
      Person("umerov", "Rustem Umerov", "Рустем Умєров", "Minister of Defense of Ukraine", "ua-mod",
             "UA", {"uk", "crh", "en"}),
      Person("yermak", "Andriy Yermak", "Андрій Єрмак", "Head of the Office of the President of Ukraine",
             "ua-presidential-office", "UA", {"uk", "en"}),
      Person("stefanchuk", "Ruslan Stefanchuk", "Руслан Стефанчук",
             "Speaker of the Verkhovna Rada of Ukraine", "verkhovna-rada", "UA", {"uk"}),
      Person("kamyshin", "Oleksandr Kamyshin", "Олександр Камишін",
             "Minister of Strategic Industries of Ukraine", "ua-strategic-industries", "UA",
             {"uk", "en"}),
      Person("tochytskyi", "Mykola Tochytskyi", "Микола Точицький",
             "Deputy Minister of Foreign Affairs of Ukraine", "ua-mfa", "UA", {"uk", "en"}),
      Person("arakhamia", "Davyd Arakhamia", "Давид Арахамія",
             "Head of the Servant of the People party", "servant-of-the-people", "UA", {"uk"}),
      Person("markarova", "Oksana Markarova", "Оксана Маркарова",
             "Ambassador of Ukraine to the United States", "ua-embassy-us", "UA", {"uk", "en"}),
      Person("biden", "Joseph Biden", "", "President of the United States", "white-house", "US",
             {"en"}),
      // Fictional people for the demo's industry, press and secretariat.
      Person("jordan-avery", "Jordan Avery", "", "Vice President, International Programs",
             "liberty-air-defense", "US", {"en"}, "j.avery@example.com", "+12025550142"),
      Person("olena-kovalenko", "Olena Kovalenko", "Олена Коваленко", "Chief Executive Officer",
             "dnipro-drone-works", "UA", {"uk", "en"}, "o.kovalenko@example.com"),
      Person("sam-rivera", "Sam Rivera", "", "Defense Correspondent", "summit-press-pool", "US",
             {"en", "es"}, "s.rivera@example.com"),
      Person("casey-morgan", "Casey Morgan", "",
             "Special Representative for Defense Industrial Cooperation (demo)",
             "us-state-department", "US", {"en"}),
      Person("duty-officer", "Alex Morgan", "", "Duty Officer, Summit Secretariat",
             "summit-secretariat", "US", {"en", "uk"}, "duty-officer@example.org", "+12025550100"),
  };

  using P = v1::Participant;
  const std::vector<std::pair<std::string, P::Role>> accredited = {
      {"umerov", P::ROLE_DELEGATE},         {"yermak", P::ROLE_DELEGATE},
      {"stefanchuk", P::ROLE_DELEGATE},     {"kamyshin", P::ROLE_DELEGATE},
      {"tochytskyi", P::ROLE_DELEGATE},     {"arakhamia", P::ROLE_DELEGATE},
      {"markarova", P::ROLE_DELEGATE},      {"zelensky", P::ROLE_DELEGATE},
      {"jordan-avery", P::ROLE_INDUSTRY},   {"olena-kovalenko", P::ROLE_INDUSTRY},
      {"sam-rivera", P::ROLE_PRESS},        {"duty-officer", P::ROLE_ORGANIZER},
      {"casey-morgan", P::ROLE_HOST_GOVERNMENT},
  };
  for (const auto& [person, role] : accredited) {
    demo.participants.push_back(Accreditation(kDemoEventId, person, role));
    // The President's accreditation is left PENDING to show the workflow.
    if (person != "zelensky") {
      demo.approvals.push_back(absl::StrCat("events/", kDemoEventId, "/participants/", person));
    }
  }

  // Generated industry representatives (fictional), five per company, who
  // ask the delegation for meetings.
  for (const std::string& company : IndustryCompanies()) {
    for (int i = 1; i <= kRepresentativesPerCompany; ++i) {
      const std::string id = absl::StrCat(company, "-rep-", i);
      demo.people.push_back(Person(id, absl::StrCat(kGivenNames[(i * 7 + company.size()) % 10], " ",
                                                    kFamilyNames[(i * 3 + company.size()) % 10]),
                                   "", "Business Development Director", company,
                                   company == "dnipro-drone-works" ? "UA" : "US", {"en"}));
      demo.participants.push_back(Accreditation(kDemoEventId, id, P::ROLE_INDUSTRY));
      demo.approvals.push_back(absl::StrCat("events/", kDemoEventId, "/participants/", id));
    }
  }

  v1::CreateDelegationRequest delegation;
  delegation.set_parent(absl::StrCat("events/", kDemoEventId));
  delegation.set_delegation_id("ukraine");
  delegation.set_request_id("demo-delegation-ukraine");
  delegation.mutable_delegation()->set_display_name("Delegation of Ukraine");
  delegation.mutable_delegation()->set_country("UA");
  delegation.mutable_delegation()->set_head("people/yermak");
  for (const char* member : {"yermak", "umerov", "stefanchuk", "kamyshin", "tochytskyi",
                             "arakhamia", "markarova"}) {
    delegation.mutable_delegation()->add_members(absl::StrCat("people/", member));
  }
  demo.delegations.push_back(delegation);

  // The host government's side of the joint statement (a fictional envoy).
  v1::CreateDelegationRequest host;
  host.set_parent(absl::StrCat("events/", kDemoEventId));
  host.set_delegation_id("united-states");
  host.set_request_id("demo-delegation-united-states");
  host.mutable_delegation()->set_display_name("Delegation of the United States");
  host.mutable_delegation()->set_country("US");
  host.mutable_delegation()->set_head("people/casey-morgan");
  host.mutable_delegation()->add_members("people/casey-morgan");
  demo.delegations.push_back(host);
  return demo;
}

namespace {

namespace sv1 = scheduling::v1;

std::string EventParent() { return absl::StrCat("events/", kDemoEventId); }

google::protobuf::Timestamp Utc(int day, int hour, int minute) {
  // December 2023 in Washington is UTC-5.
  google::protobuf::Timestamp timestamp;
  const absl::Time time = absl::FromCivil(absl::CivilMinute(2023, 12, day, hour + 5, minute),
                                          absl::UTCTimeZone());
  timestamp.set_seconds(absl::ToUnixSeconds(time));
  return timestamp;
}

sv1::CreateRoomRequest Room(const std::string& id, const std::string& display_name,
                            sv1::Room::Kind kind, int capacity) {
  sv1::CreateRoomRequest request;
  request.set_parent(EventParent());
  request.set_room_id(id);
  request.set_request_id(absl::StrCat("demo-room-", id));
  request.mutable_room()->set_display_name(display_name);
  request.mutable_room()->set_kind(kind);
  request.mutable_room()->set_capacity(capacity);
  return request;
}

// A session of the fixed programme, Washington local time on `day`.
sv1::CreateSessionRequest Session(const std::string& id, const std::string& title,
                                  sv1::Session::Kind kind, int day, int start_hour,
                                  int start_minute, int minutes, const std::string& room,
                                  const std::string& location, std::vector<std::string> people,
                                  sv1::Session::Visibility visibility) {
  sv1::CreateSessionRequest request;
  request.set_parent(EventParent());
  request.set_session_id(id);
  request.set_request_id(absl::StrCat("demo-session-", id));
  sv1::Session* session = request.mutable_session();
  session->set_title(title);
  session->set_kind(kind);
  *session->mutable_start_time() = Utc(day, start_hour, start_minute);
  google::protobuf::Timestamp end = session->start_time();
  end.set_seconds(end.seconds() + minutes * 60);
  *session->mutable_end_time() = end;
  if (!room.empty()) session->set_room(absl::StrCat(EventParent(), "/rooms/", room));
  session->set_location(location);
  for (const std::string& person : people) session->add_participants("people/" + person);
  session->set_visibility(visibility);
  session->set_state(sv1::Session::STATE_CONFIRMED);
  session->set_locked(true);
  return request;
}

}  // namespace

SchedulingDemo MakeSchedulingDemo() {
  using R = sv1::Room;
  using S = sv1::Session;
  SchedulingDemo demo;
  demo.rooms = {Room("plenary-hall", "Plenary Hall", R::KIND_PLENARY_HALL, 300),
                Room("press-room", "Press Room", R::KIND_MEETING_ROOM, 60),
                Room("east-room", "East Room", R::KIND_MEETING_ROOM, 12)};
  for (int i = 1; i <= 10; ++i) {
    demo.rooms.push_back(Room(absl::StrCat("table-", i), absl::StrCat("B2B Table ", i),
                              R::KIND_TABLE, 4));
  }
  const std::vector<std::string> delegation = {"yermak",     "umerov",    "stefanchuk", "kamyshin",
                                               "tochytskyi", "arakhamia", "markarova"};
  demo.sessions = {
      Session("opening-plenary", "Opening plenary: a new industrial base", S::KIND_PLENARY, 6, 9, 0,
              60, "plenary-hall", "", delegation, S::VISIBILITY_PUBLIC),
      Session("white-house", "Meeting at the White House", S::KIND_SITE_VISIT, 6, 10, 30, 60, "",
              "The White House", {"yermak", "umerov", "kamyshin", "markarova"},
              S::VISIBILITY_PRIVATE),
      Session("congress", "Meeting with members of Congress", S::KIND_SITE_VISIT, 6, 13, 0, 60, "",
              "U.S. Capitol", {"stefanchuk", "arakhamia", "markarova"}, S::VISIBILITY_PRIVATE),
      Session("pentagon", "Meeting at the Pentagon", S::KIND_SITE_VISIT, 6, 14, 30, 60, "",
              "The Pentagon", {"umerov", "kamyshin"}, S::VISIBILITY_PRIVATE),
      Session("state-department", "Meeting at the Department of State", S::KIND_SITE_VISIT, 7, 9,
              0, 60, "", "Department of State", {"tochytskyi", "yermak", "markarova"},
              S::VISIBILITY_PRIVATE),
      Session("commerce-department", "Meeting at the Department of Commerce", S::KIND_SITE_VISIT, 7,
              10, 30, 60, "", "Department of Commerce", {"kamyshin", "tochytskyi"},
              S::VISIBILITY_PRIVATE),
      Session("think-tank-panel", "Think-tank panel: defending freedom with substance", S::KIND_PANEL,
              7, 14, 0, 60, "plenary-hall", "", {"stefanchuk", "arakhamia"}, S::VISIBILITY_PUBLIC),
      Session("press-conference", "Press conference", S::KIND_PRESS_CONFERENCE, 7, 16, 0, 45,
              "press-room", "", {"umerov", "yermak", "sam-rivera"}, S::VISIBILITY_PUBLIC),
  };

  // Every representative asks to meet every delegation member: a few hundred
  // requests, with priorities and lengths that vary but never by chance.
  const char* const kTopics[] = {"Co-production of air defense systems",
                                 "Artillery ammunition supply", "Drone components",
                                 "Maintenance and repair in Ukraine", "Technology transfer"};
  int n = 0;
  for (const std::string& company : IndustryCompanies()) {
    for (int i = 1; i <= kRepresentativesPerCompany; ++i) {
      for (const char* member : kDelegationMembers) {
        sv1::CreateMeetingRequestRequest request;
        request.set_parent(EventParent());
        const std::string id = absl::StrCat(company, "-", i, "-", member);
        request.set_meeting_request_id(id.substr(0, 63));
        request.set_request_id(absl::StrCat("demo-meeting-", id));
        sv1::MeetingRequest* meeting = request.mutable_meeting_request();
        meeting->set_requester(absl::StrCat("people/", company, "-rep-", i));
        meeting->set_invitee(absl::StrCat("people/", member));
        meeting->set_topic(kTopics[n % 5]);
        meeting->mutable_duration()->set_seconds(n % 3 == 0 ? 40 * 60 : 20 * 60);
        meeting->set_priority(1 + (n * 7) % 10);
        demo.meeting_requests.push_back(std::move(request));
        ++n;
      }
    }
  }
  return demo;
}

namespace {

namespace tv1 = statements::v1;

tv1::StatementBody Body(const std::string& language, const std::string& text, bool original) {
  tv1::StatementBody body;
  body.set_language_code(language);
  body.set_text(text);
  body.set_original(original);
  return body;
}

// A quote said during `session`, at `said` (Washington local time), as the article reports it.
tv1::CreateStatementRequest Quote(const std::string& id, const std::string& speaker,
                                  const std::string& session, google::protobuf::Timestamp said,
                                  const std::string& title, std::vector<tv1::StatementBody> bodies) {
  tv1::CreateStatementRequest request;
  request.set_parent(EventParent());
  request.set_statement_id(id);
  request.set_request_id(absl::StrCat("demo-statement-", id));
  tv1::Statement* statement = request.mutable_statement();
  statement->set_kind(tv1::Statement::KIND_QUOTE);
  statement->add_speakers(absl::StrCat("people/", speaker));
  if (!session.empty()) statement->set_session(absl::StrCat(EventParent(), "/sessions/", session));
  *statement->mutable_said_time() = std::move(said);
  statement->set_title(title);
  for (tv1::StatementBody& body : bodies) *statement->add_bodies() = std::move(body);
  return request;
}

}  // namespace

StatementsDemo MakeStatementsDemo() {
  StatementsDemo demo;
  demo.published = {
      Quote("zelensky-new-level-of-unity", "zelensky", "opening-plenary", Utc(6, 9, 20),
            "Zelensky: \"a new level of our unity\"",
            {Body("en",
                  "This is a new level of our unity. A new industrial base, new jobs for both our "
                  "nations. Specifically, Ukraine will be able to produce air defense systems. We "
                  "are preparing to create a new defense ecosystem together with the United States "
                  "to produce weapons to further reinforce freedom and the protection of life "
                  "together.",
                  true),
             Body("uk",
                  "Це новий рівень нашої єдності. Нова промислова база, нові робочі місця для обох "
                  "наших народів. Зокрема, Україна зможе виробляти системи протиповітряної "
                  "оборони. Ми готуємося створити разом зі Сполученими Штатами нову оборонну "
                  "екосистему, щоб виробляти зброю і далі зміцнювати свободу та захист життя "
                  "разом.",
                  false)}),
      Quote("markarova-unprecedented-format", "markarova", "press-conference", Utc(7, 16, 10),
            "Markarova: an unprecedented format of Ukrainian-US cooperation",
            {Body("en",
                  "Ukraine Defense Industrial Base Summit is an unprecedented format of "
                  "Ukrainian-US cooperation in the military and strategic industries.",
                  true),
             Body("uk",
                  "Саміт оборонно-промислової бази України — це безпрецедентний формат "
                  "українсько-американської співпраці у військовій та стратегічних галузях.",
                  false)}),
      Quote("zelensky-thanks-partners", "zelensky", "opening-plenary", Utc(6, 9, 35),
            "Zelensky thanks the United States and defense companies",
            {Body("en",
                  "Now, it's a forum in Washington and corresponding work on armaments in both "
                  "Ukraine and the United States. I thank the United States – President Biden, his "
                  "team, and Congress – both parties that support us. I also want to especially "
                  "acknowledge U.S. defense companies and partners in Europe – all those who "
                  "genuinely fill the concept of defending freedom with substance.",
                  true),
             Body("uk",
                  "Зараз це форум у Вашингтоні та відповідна робота з озброєнь і в Україні, і в "
                  "Сполучених Штатах. Я дякую Сполученим Штатам — Президенту Байдену, його команді "
                  "та Конгресу — обом партіям, які нас підтримують. Також хочу особливо відзначити "
                  "американські оборонні компанії та партнерів у Європі — усіх, хто справді "
                  "наповнює змістом концепцію захисту свободи.",
                  false)}),
  };

  tv1::CreateStatementRequest& joint = demo.joint;
  joint.set_parent(EventParent());
  joint.set_statement_id("joint-statement-co-production");
  joint.set_request_id("demo-statement-joint-statement-co-production");
  tv1::Statement* statement = joint.mutable_statement();
  statement->set_kind(tv1::Statement::KIND_JOINT_STATEMENT);
  statement->add_signatories(absl::StrCat(EventParent(), "/delegations/ukraine"));
  statement->add_signatories(absl::StrCat(EventParent(), "/delegations/united-states"));
  statement->set_session(absl::StrCat(EventParent(), "/sessions/commerce-department"));
  statement->set_embargo_session(absl::StrCat(EventParent(), "/sessions/press-conference"));
  statement->set_title("Joint statement on Ukrainian-U.S. defense industrial cooperation (demo)");
  *statement->add_bodies() = Body(
      "en",
      "Ukraine and the United States will work together on the co-production of air defense "
      "systems and artillery ammunition, on maintenance and repair in Ukraine, and on the "
      "exchange of technology between their defense industries.",
      true);
  *statement->add_bodies() = Body(
      "uk",
      "Україна та Сполучені Штати спільно працюватимуть над виробництвом систем протиповітряної "
      "оборони та артилерійських боєприпасів, над обслуговуванням і ремонтом в Україні та над "
      "обміном технологіями між своїми оборонними галузями.",
      false);
  demo.joint_approved_by = absl::StrCat(EventParent(), "/delegations/ukraine");
  return demo;
}

}  // namespace summit::ctl
