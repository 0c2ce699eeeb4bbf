#include "modules/intake/generator.h"

#include <array>
#include <string>

namespace psea::intake {

namespace {
std::uint64_t Mix(std::uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

constexpr std::array<const char*, 6> kGivenNames = {"Amara",     "Bertin", "Clarisse",
                                                    "Dieudonne", "Esther", "Fulbert"};
constexpr std::array<const char*, 5> kFamilyNames = {"Demo-Ngara", "Demo-Kossi", "Demo-Yakite",
                                                     "Demo-Mbalo", "Demo-Feindiro"};
}  // namespace

Status GenerateComplaints(IntakeService& service, int count,
                          const std::vector<security::Principal>& staff,
                          const std::optional<security::Principal>& chief, UnixMillis now) {
  ASSIGN_OR_RETURN(auto places, service.Places());
  const Channel staff_channels[] = {Channel::kHotline4044,
                                    Channel::kHotline4445,
                                    Channel::kWalkIn,
                                    Channel::kEmail,
                                    Channel::kCbcm,
                                    Channel::kComplaintBox,
                                    Channel::kCommunityLiaison,
                                    Channel::kObservation};
  const char* relations[] = {"victim", "witness", "family", "community_member", "staff"};
  const char* categories[] = {"military_contingent",    "police_fpu",           "civilian_national",
                              "civilian_international", "implementing_partner", "unknown"};
  for (int i = 0; i < count; ++i) {
    const std::uint64_t roll = Mix(static_cast<std::uint64_t>(i) + 1);
    NewComplaint n;
    n.received_at = now - static_cast<std::int64_t>(roll % (60ULL * 24 * 3600 * 1000));
    n.reporter_relation = relations[(roll >> 8) % 5];
    n.language = (roll >> 12) % 4 == 0 ? "en" : "fr";
    if (!places->prefectures.empty()) {
      const auto& prefecture = places->prefectures[(roll >> 16) % places->prefectures.size()];
      n.prefecture = prefecture.code;
      if (!prefecture.sub_prefectures.empty()) {
        const auto& sub =
            prefecture.sub_prefectures[(roll >> 24) % prefecture.sub_prefectures.size()];
        n.sub_prefecture = sub.code;
        if (!sub.towns.empty()) n.town = sub.towns[(roll >> 32) % sub.towns.size()].name;
      }
    }
    n.incident_date_precision = "month";
    n.incident_date = FormatIso8601(*n.received_at - 20LL * 24 * 3600 * 1000).substr(0, 7);
    const int age = static_cast<int>(9 + (roll >> 36) % 30);
    n.victims = {{age, age < 18 ? "minor" : "adult", (roll >> 42) % 5 == 0 ? "male" : "female"}};
    n.victims[0].referral_consent = (roll >> 40) % 3 == 0 ? "unknown" : "yes";
    const char* category = categories[(roll >> 44) % 6];
    PerpetratorFacts perpetrator;
    perpetrator.category = category;
    if (std::string_view(category) == "military_contingent") {
      // An invented unit; no nationality, so that no real country is named in demo data.
      perpetrator.unit = "Demo battalion " + std::to_string(1 + (roll >> 47) % 4);
    }
    n.perpetrators = {perpetrator};
    n.risk_danger = (roll >> 48) % 10 == 0;
    n.risk_medical = (roll >> 50) % 8 == 0;
    const bool anonymous = (roll >> 52) % 3 == 0;
    n.anonymous = anonymous;
    if (!anonymous) {
      n.identifying.reporter_name =
          std::string(kGivenNames[(roll >> 54) % 6]) + " " + kFamilyNames[(roll >> 57) % 5];
      n.identifying.reporter_phone = "+2367000" + std::to_string(1000 + (roll % 9000));
      n.contact_consent = true;
      n.contact_method = "phone";
    }
    n.identifying.narrative =
        "Generated demo complaint " + std::to_string(i + 1) +
        ": invented events for testing the intake queue. No real person is described.";
    n.identifying.victim_names = {""};
    RequestInfo info{"generator", "generator-" + std::to_string(i)};
    Result<Submitted> submitted = Status::Ok();
    if (staff.empty() || (roll >> 60) % 4 == 0) {
      // The public form: anonymous channel, its own throttle bucket per twenty reports.
      info.remote_address = "generator-" + std::to_string(i / 20);
      submitted = service.SubmitPublic(n, info);
    } else {
      const auto& actor = staff[(roll >> 61) % staff.size()];
      n.channel = staff_channels[(roll >> 4) % 8];
      if (n.channel == Channel::kCbcm) n.cbcm_name = "Demo CBCM " + n.town;
      submitted = service.Submit(actor, n, info);
    }
    if (!submitted.ok()) return submitted.status();
    if (!chief) continue;
    const std::int64_t id = submitted->complaint.id;
    const int stage = static_cast<int>((roll >> 20) % 6);
    if (stage >= 1) RETURN_IF_ERROR(service.Acknowledge(*chief, id, info));
    if (stage == 2 || stage == 3) {
      RETURN_IF_ERROR(service.SetStatus(*chief, id, ComplaintStatus::kAssessing, info));
    }
    if (stage == 3 && i < 200) {  // the follow-up throttle allows 300 a minute in all
      RETURN_IF_ERROR(service.ReplyToReporter(
          *chief, id, "Generated message: thank you, we are looking into it.", info));
      const RequestInfo reporter{"generator-reporter-" + std::to_string(i), info.request_id};
      RETURN_IF_ERROR(service.ReporterMessage(submitted->receipt_code,
                                              "Generated reply from the reporter.", reporter));
    }
    if (stage >= 4) {
      // Assessed, then routed the way the assessment allows.
      Assessment assessment;
      assessment.is_sea = std::string_view(category) != "unknown" || stage == 5;
      assessment.affiliation = std::string_view(category) == "implementing_partner"
                                   ? "implementing_partner"
                               : std::string_view(category) == "unknown" ? "not_un"
                                                                         : "mission";
      if (assessment.affiliation == "not_un") assessment.is_sea = false;
      const char* types[] = {"transactional_sex", "sexual_assault", "exploitative_relationship",
                             "rape", "solicitation_transactional_sex"};
      if (assessment.is_sea) {
        assessment.category = (roll >> 5) % 3 == 0 ? "sexual_abuse" : "sexual_exploitation";
        assessment.type = types[(roll >> 6) % 5];
      }
      RETURN_IF_ERROR(service.Assess(*chief, id, assessment, info).status());
      RouteRequest route;
      if (assessment.affiliation == "not_un") {
        route.route = Route::kGbvReferral;
      } else if (assessment.affiliation == "implementing_partner") {
        route.route = Route::kHandedOver;
        route.entity = "Demo partner NGO";
      } else if (stage == 5 && (roll >> 7) % 4 == 0) {
        route.route = Route::kClosed;
        route.reason = "insufficient_information";
      } else {
        route.route = Route::kCase;
      }
      RETURN_IF_ERROR(service.RouteComplaint(*chief, id, route, info).status());
    }
  }
  return Status::Ok();
}

Status GenerateDemoComplaints(IntakeService& service, const security::Principal& operator_,
                              const security::Principal& chief, UnixMillis now) {
  constexpr std::int64_t kDay = 24LL * 3600 * 1000;
  RequestInfo info{"demo", "demo"};
  auto complaint = [&](int days_ago, Channel channel, const char* town, const char* relation,
                       const char* category, int age, bool medical) {
    NewComplaint n;
    n.channel = channel;
    n.received_at = now - days_ago * kDay;
    n.reporter_relation = relation;
    n.anonymous = false;
    n.prefecture = "OMP";
    n.town = town;
    n.incident_date_precision = "month";
    n.incident_date = FormatIso8601(now - (days_ago + 10) * kDay).substr(0, 7);
    VictimFacts victim;
    victim.age = age;
    victim.age_group = age < 18 ? "minor" : "adult";
    victim.sex = "female";
    victim.referral_consent = "yes";
    n.victims = {victim};
    PerpetratorFacts perpetrator;
    perpetrator.category = category;
    n.perpetrators = {perpetrator};
    n.risk_medical = medical;
    if (std::string_view(relation) == "anonymous") {
      n.anonymous = true;
    } else {
      n.identifying.reporter_name = "Demo Reporter " + std::to_string(days_ago);
    }
    n.identifying.narrative =
        "DEMO DATA, invented: a complaint made up to show the intake "
        "workflow. No real person or event is described.";
    n.identifying.victim_names = {"Demo Victim " + std::to_string(days_ago)};
    n.identifying.victim_pregnant = {"unknown"};
    n.identifying.victim_child_born = {"no"};
    if (channel == Channel::kCbcm) n.cbcm_name = "Demo CBCM Boali";
    return n;
  };
  auto file = [&](NewComplaint n) -> Result<std::int64_t> {
    ASSIGN_OR_RETURN(auto submitted, service.Submit(operator_, std::move(n), info));
    RETURN_IF_ERROR(service.Acknowledge(chief, submitted.complaint.id, info));
    return submitted.complaint.id;
  };
  auto assess = [&](std::int64_t id, bool is_sea, const char* category, const char* type,
                    const char* affiliation) {
    Assessment a;
    a.is_sea = is_sea;
    a.category = category;
    a.type = type;
    a.affiliation = affiliation;
    return service.Assess(chief, id, a, info).status();
  };
  auto route = [&](std::int64_t id, Route r, const char* entity, const char* office,
                   const char* reason, std::optional<std::int64_t> duplicate_of) {
    RouteRequest request;
    request.route = r;
    request.entity = entity;
    request.office = office;
    request.reason = reason;
    request.duplicate_of = duplicate_of;
    // Handed over two days after the complaint came (30 days ago), acknowledged three later.
    if (r == Route::kHandedOver)
      request.handed_over_on = FormatIso8601(now - 28 * kDay).substr(0, 10);
    return service.RouteComplaint(chief, id, request, info).status();
  };

  ASSIGN_OR_RETURN(auto to_case, file(complaint(40, Channel::kHotline4044, "Boali", "witness",
                                                "military_contingent", 24, false)));
  RETURN_IF_ERROR(assess(to_case, true, "sexual_exploitation", "transactional_sex", "mission"));
  RETURN_IF_ERROR(route(to_case, Route::kCase, "", "", "", std::nullopt));

  ASSIGN_OR_RETURN(auto handed, file(complaint(30, Channel::kCbcm, "Boali", "cbcm_member",
                                               "implementing_partner", 19, false)));
  RETURN_IF_ERROR(assess(handed, true, "sexual_abuse", "sexual_assault", "implementing_partner"));
  RETURN_IF_ERROR(route(handed, Route::kHandedOver, "Demo partner NGO", "", "", std::nullopt));
  RETURN_IF_ERROR(service
                      .AcknowledgeHandover(chief, handed,
                                           FormatIso8601(now - 25 * kDay).substr(0, 10),
                                           "Demo letter of acknowledgement", info)
                      .status());

  ASSIGN_OR_RETURN(auto gbv, file(complaint(20, Channel::kWalkIn, "Bossembélé", "victim",
                                            "non_un_forces", 16, true)));
  RETURN_IF_ERROR(assess(gbv, false, "", "", "not_un"));
  RETURN_IF_ERROR(route(gbv, Route::kGbvReferral, "", "", "", std::nullopt));

  ASSIGN_OR_RETURN(auto other, file(complaint(15, Channel::kEmail, "Boali", "staff",
                                              "civilian_international", 30, false)));
  RETURN_IF_ERROR(assess(other, false, "", "", "mission"));
  RETURN_IF_ERROR(
      route(other, Route::kOtherMisconduct, "", "Demo Human Resources office", "", std::nullopt));

  ASSIGN_OR_RETURN(auto duplicate, file(complaint(12, Channel::kHotline4445, "Boali", "family",
                                                  "military_contingent", 24, false)));
  RETURN_IF_ERROR(assess(duplicate, true, "sexual_exploitation", "transactional_sex", "mission"));
  RETURN_IF_ERROR(route(duplicate, Route::kClosed, "", "", "duplicate", to_case));

  ASSIGN_OR_RETURN(auto assessing, file(complaint(5, Channel::kComplaintBox, "Boali", "anonymous",
                                                  "unknown", 28, false)));
  RETURN_IF_ERROR(
      assess(assessing, true, "sexual_exploitation", "exploitative_relationship", "unknown"));
  ComplaintPatch patch;
  patch.town = "Yaloké";
  RETURN_IF_ERROR(service.Correct(chief, assessing, patch, info).status());
  return Status::Ok();
}

}  // namespace psea::intake
