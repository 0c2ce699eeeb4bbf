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
  const Channel staff_channels[] = {Channel::kHotline4044, Channel::kHotline4445, Channel::kWalkIn,
                                    Channel::kEmail, Channel::kOther};
  const char* relations[] = {"victim", "witness", "family", "community_member", "staff"};
  const char* categories[] = {"military_contingent",    "police_fpu",           "civilian_national",
                              "civilian_international", "implementing_partner", "unknown"};
  for (int i = 0; i < count; ++i) {
    const std::uint64_t roll = Mix(static_cast<std::uint64_t>(i) + 1);
    NewComplaint n;
    n.received_at = now - static_cast<std::int64_t>(roll % (60ULL * 24 * 3600 * 1000));
    n.reporter_relation = relations[(roll >> 8) % 5];
    n.language = (roll >> 12) % 4 == 0 ? "en" : "fr";
    if (!places->empty()) {
      const auto& prefecture = (*places)[(roll >> 16) % places->size()];
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
    n.perpetrators = {{categories[(roll >> 44) % 6], "", ""}};
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
      n.channel = staff_channels[(roll >> 4) % 5];
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
    if (stage == 4) {
      RETURN_IF_ERROR(service.MarkNotSea(*chief, id, NotSeaDestination::kOtherMisconduct, info));
    }
  }
  return Status::Ok();
}

}  // namespace psea::intake
