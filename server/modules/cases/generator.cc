// `psea generate --cases N`: invented cases for benchmarks, written through the store in
// chunked transactions (no HTTP, no password hashing), the way a mission's years of cases
// would sit in the tables: victims' and subjects' identities sealed in the vault, the
// timeline of status changes, the cached clocks and the search document of each case, and
// the complaint each case was made from (a few two), in intake as referred to that case.
#include <algorithm>
#include <boost/json.hpp>
#include <cstdio>

#include "modules/cases/service.h"

namespace psea::cases {

namespace json = boost::json;
using storage::Connection;

namespace {

constexpr std::int64_t kDayMillis = 24LL * 3600 * 1000;
const char* const kTowns[] = {"Bangui",    "Bambari", "Bria", "Kaga-Bandoro", "Bangassou", "Bouar",
                              "Berberati", "Ndele",   "Obo",  "Paoua",        "Sibut",     "Boali"};
const char* const kCategories[] = {"military_contingent",    "police_fpu",
                                   "civilian_international", "civilian_national",
                                   "military_observer",      "contractor"};
// The paths a case can have taken, by how far it went.
const std::vector<CaseStatus> kPath = {CaseStatus::kUnderAssessment,
                                       CaseStatus::kReferredForInvestigation,
                                       CaseStatus::kUnderInvestigation,
                                       CaseStatus::kReportReceived,
                                       CaseStatus::kUnderReview,
                                       CaseStatus::kActionPending,
                                       CaseStatus::kClosed};

std::string IsoDay(UnixMillis at) { return FormatIso8601(at).substr(0, 10); }

}  // namespace

Result<std::vector<CasesService::GeneratedCase>> CasesService::GenerateCases(
    int count, const security::Principal& chief, const std::vector<security::Principal>& officers,
    const std::vector<security::Principal>& advocates) {
  const UnixMillis now = clock_.Now();
  std::vector<GeneratedCase> made;
  ASSIGN_OR_RETURN(auto settings, database_.Read<TimelineSettings>(
                                      [&](Connection& c) { return LoadTimelineSettings(c); }));
  RETURN_IF_ERROR(database_.WriteTransaction([&](Connection& c) -> Status {
    ASSIGN_OR_RETURN(auto current, readers_.Ids(c, kCaseReaderScope));
    if (!current.empty()) return Status::Ok();
    return readers_.Add(c, kCaseReaderScope, chief.user_id, chief.username, chief.user_id,
                        chief.username, now);
  }));
  constexpr int kChunk = 500;
  for (int start = 0; start < count; start += kChunk) {
    const std::size_t made_before = made.size();
    RETURN_IF_ERROR(database_.WriteTransaction([&](Connection& c) -> Status {
      made.resize(made_before);  // a retried transaction starts its chunk again
      ASSIGN_OR_RETURN(auto readers, readers_.Ids(c, kCaseReaderScope));
      ASSIGN_OR_RETURN(auto victim_readers, readers_.Ids(c, intake::kVictimReaderScope));
      for (int i = start; i < std::min(count, start + kChunk); ++i) {
        // Spread over three years, the newest last; a pseudo-random stage per case.
        const UnixMillis reported_at =
            now - static_cast<UnixMillis>(count - i) * 3 * 365 * kDayMillis / count;
        const unsigned mix = static_cast<unsigned>(i) * 2654435761u;
        Case kase;
        kase.mission = settings_.mission;
        kase.date_reported = IsoDay(reported_at);
        kase.incident_date_precision = "month";
        kase.incident_date = IsoDay(reported_at - 40 * kDayMillis).substr(0, 7);
        kase.location = kTowns[mix % 12];
        kase.category = i % 3 == 0 ? "sexual_abuse" : "sexual_exploitation";
        kase.type = std::string(kCaseTypes[(mix >> 4) % kCaseTypes.size()]);
        kase.risk_child = i % 5 == 0;
        kase.risk_violence = i % 11 == 0;
        kase.urgent = kase.risk_child || kase.risk_violence;
        const int year = std::stoi(kase.date_reported.substr(0, 4));
        ASSIGN_OR_RETURN(std::int64_t number,
                         store_.NextNumber(c, settings_.reference_prefix, year));
        char digits[16];
        std::snprintf(digits, sizeof digits, "%04lld", static_cast<long long>(number));
        kase.reference = settings_.reference_prefix + "-" + std::to_string(year) + "-" + digits;
        kase.status = CaseStatus::kReceived;
        kase.status_date = kase.date_reported;
        kase.created_by = chief.user_id;
        kase.created_at = reported_at;
        kase.updated_at = reported_at;
        ASSIGN_OR_RETURN(kase.id, store_.InsertCase(c, kase));
        CaseEvent created;
        created.at = reported_at;
        created.user_id = chief.user_id;
        created.username = chief.username;
        created.kind = "created";
        created.to_status = "received";
        created.date = kase.date_reported;
        RETURN_IF_ERROR(store_.InsertEvent(c, kase.id, created));
        // Older cases went further (most cases a year old are closed, as in a mission's
        // records); each step a few weeks after the last, never after today.
        const int age_days = static_cast<int>((now - reported_at) / kDayMillis);
        const int steps =
            std::min<int>(kPath.size(), static_cast<int>((mix >> 8) % 3) + age_days / 50);
        UnixMillis step_at = reported_at;
        GeneratedCase generated;
        generated.reported_at = reported_at;
        generated.location = kase.location;
        for (int s = 0; s < steps; ++s) {
          step_at = std::min(
              now, step_at + static_cast<UnixMillis>(3 + (mix >> (s + 3)) % 40) * kDayMillis);
          const CaseStatus to =
              (s == 1 && i % 13 == 0) ? CaseStatus::kClosedWithoutInvestigation : kPath[s];
          CaseEvent event;
          event.at = step_at;
          event.user_id = chief.user_id;
          event.username = chief.username;
          event.kind = "status";
          event.from_status = std::string(CaseStatusName(kase.status));
          event.to_status = std::string(CaseStatusName(to));
          event.date = IsoDay(step_at);
          if (to == CaseStatus::kClosedWithoutInvestigation) event.reason = "generated";
          RETURN_IF_ERROR(store_.InsertEvent(c, kase.id, event));
          kase.status = to;
          kase.status_date = event.date;
          if (to == CaseStatus::kUnderInvestigation) {
            generated.investigation_at = step_at;
            kase.investigating_entity =
                std::string(kInvestigatingEntities[(mix >> 12) % kInvestigatingEntities.size()]);
          }
          if (to == CaseStatus::kClosed) kase.outcome = "substantiated";
          if (IsFinal(to)) {
            kase.closure_reason = event.reason;
            break;
          }
        }
        // The source complaint (every 25th case two, the second the same day), as intake
        // holds it once the case took it; its facts follow the case's victims and subjects.
        intake::IntakeService::CaseComplaintSpec spec;
        spec.received_at = reported_at;
        spec.town = kase.location;
        spec.incident_date = kase.incident_date;
        spec.category = kase.category;
        spec.type = kase.type;
        spec.risk_child = kase.risk_child;
        spec.risk_danger = kase.risk_violence;
        for (int v = 0; v < 1 + (i % 3 == 0); ++v) {
          spec.victims.push_back({std::nullopt, kase.risk_child ? "minor" : "adult",
                                  v == 0 ? "female" : "male", "unknown"});
        }
        for (int s = 0; s < 1 + (i % 4 == 0); ++s) {
          spec.perpetrators.push_back({kCategories[(mix >> (16 + s)) % 6], "", "", "", "unknown"});
        }
        std::vector<intake::IntakeService::CaseComplaintSpec> specs(1 + (i % 25 == 0), spec);
        ASSIGN_OR_RETURN(auto complaints, intake_.GenerateForCaseIn(c, chief, specs));
        for (const auto& complaint : complaints) {
          RETURN_IF_ERROR(
              store_.LinkComplaint(c, kase.id, {complaint.id, complaint.reference}, reported_at));
        }
        for (int v = 0; v < 1 + (i % 3 == 0); ++v) {
          std::vector<std::int64_t> sealed_for = readers;
          sealed_for.insert(sealed_for.end(), victim_readers.begin(), victim_readers.end());
          std::sort(sealed_for.begin(), sealed_for.end());
          sealed_for.erase(std::unique(sealed_for.begin(), sealed_for.end()), sealed_for.end());
          Victim victim;
          victim.pseudonym = "V" + std::to_string(v + 1);
          victim.sex = v == 0 ? "female" : "male";
          victim.age_group = kase.risk_child ? "minor" : "adult";
          ASSIGN_OR_RETURN(victim.identity_item,
                           vault_.Seal(c, "case-victim",
                                       json::serialize(json::object{
                                           {"name", "Generated victim " + std::to_string(i)},
                                           {"contacts", ""},
                                           {"address", ""}}),
                                       sealed_for));
          RETURN_IF_ERROR(store_.InsertVictim(c, kase.id, victim, reported_at).status());
        }
        for (int s = 0; s < 1 + (i % 4 == 0); ++s) {
          Subject subject;
          subject.personnel_category = kCategories[(mix >> (16 + s)) % 6];
          subject.nationality = subject.personnel_category.rfind("military", 0) == 0 ||
                                        subject.personnel_category.rfind("police", 0) == 0
                                    ? "SN"
                                    : "";
          subject.unit = "Unit " + std::to_string((mix >> 20) % 40);
          const std::string name = "Generated subject " + std::to_string(mix % 5000);
          ASSIGN_OR_RETURN(
              subject.identity_item,
              vault_.Seal(c, "case-subject",
                          json::serialize(json::object{{"name", name}, {"description", ""}}),
                          readers));
          RETURN_IF_ERROR(
              store_.InsertSubject(c, kase.id, subject, subject_index_.Tag(name), reported_at)
                  .status());
        }
        if (!officers.empty() && i % 4 == 0) {
          const auto& officer = officers[static_cast<std::size_t>(i / 4) % officers.size()];
          RETURN_IF_ERROR(store_.AssignOfficer(
              c, kase.id, {officer.user_id, officer.username, reported_at}, chief.user_id));
        }
        if (!advocates.empty() && i % 10 == 0) {
          const auto& advocate = advocates[static_cast<std::size_t>(i / 10) % advocates.size()];
          RETURN_IF_ERROR(store_.LinkAdvocate(
              c, kase.id, {advocate.user_id, advocate.username, reported_at}, chief.user_id));
        }
        kase.updated_at = step_at;
        RETURN_IF_ERROR(Bump(c, kase, kase.version));
        generated.id = kase.id;
        made.push_back(std::move(generated));
      }
      return Status::Ok();
    }));
  }
  return made;
}

}  // namespace psea::cases
