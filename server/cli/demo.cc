#include <sys/stat.h>
#include <algorithm>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "cli/common.h"
#include "core/log.h"
#include "core/share.h"
#include "modules/accounts/generator.h"
#include "modules/assistance/service.h"
#include "modules/cases/service.h"
#include "modules/evidence/service.h"
#include "modules/intake/generator.h"
#include "modules/plan/generator.h"
#include "modules/trustfund/service.h"

namespace psea::cli {

namespace {
// The MINUSCA plan, with demo focal points and generated progress entries.
Status SeedDemoPlan(app::Application& app, const Config& config) {
  security::Principal demo;
  demo.username = "demo";
  const std::string path = FindShared(config.share_dir, {"data/plans/minusca-sea-2018-2019.yaml"});
  std::ifstream in(path, std::ios::binary);
  if (path.empty() || !in) {
    return NotFound(
        "data/plans/minusca-sea-2018-2019.yaml is in none of the share folders "
        "(BIN/../share/psea, BIN/.., ., .., /usr/share/psea): run `cmake --install` or give "
        "--share-dir");
  }
  std::stringstream text;
  text << in.rdbuf();
  ASSIGN_OR_RETURN(auto plan, app.plans().Import(demo, text.str(), ""));
  ASSIGN_OR_RETURN(auto units, app.units().List());
  ASSIGN_OR_RETURN(auto users, app.accounts().ListUsers());
  auto user = [&](const std::string& name) -> std::optional<units::FocalPoint> {
    for (const auto& u : users) {
      if (u.username == name) return units::FocalPoint{u.id, u.username, u.display_name};
    }
    return std::nullopt;
  };
  const std::pair<const char*, std::vector<std::string>> assignments[] = {
      {"CDT", {"demo.cdt_chief", "demo.cdt_officer"}},
      {"UNCT", {"demo.partner_focal_point"}},
      {"FORCE", {"demo.partner_focal_point"}},
      {"VRA", {"demo.vra"}},
  };
  for (const auto& [code, names] : assignments) {
    for (const auto& unit : units) {
      if (unit.code != code) continue;
      units::UnitPatch patch;
      patch.focal_points = std::vector<units::FocalPoint>();
      for (const auto& name : names) {
        if (auto point = user(name)) patch.focal_points->push_back(*point);
      }
      ASSIGN_OR_RETURN(auto ignored, app.units().Update(demo, unit.id, patch, ""));
    }
  }
  return plan::GenerateEntries(app.plans(), demo, plan.id, 0.35);
}

// Staff principals of the users with these roles, as the intake generator enters complaints.
Result<std::vector<security::Principal>> StaffOf(app::Application& app,
                                                 const std::vector<security::Role>& roles) {
  ASSIGN_OR_RETURN(auto users, app.accounts().ListUsers());
  std::vector<security::Principal> out;
  for (const auto& user : users) {
    if (user.disabled || std::find(roles.begin(), roles.end(), user.role) == roles.end()) continue;
    security::Principal principal;
    principal.user_id = user.id;
    principal.username = user.username;
    principal.role = user.role;
    out.push_back(std::move(principal));
  }
  return out;
}

// The first intake reader of a generated database, designated the way an installation does
// it (`psea intake readers add` with the recovery key). A recovery key is created when there is
// none; its private half is returned (empty when one existed) for the demo's credentials file.
Result<std::string> DesignateFirstReader(app::Application& app, const std::string& username) {
  ASSIGN_OR_RETURN(auto readers, app.intake().ReaderIds());
  if (!readers.empty()) return std::string();
  ASSIGN_OR_RETURN(
      auto key,
      app.database().Write<std::string>([&](storage::Connection& c) -> Result<std::string> {
        ASSIGN_OR_RETURN(bool exists, app.vault().HasRecoveryKey(c));
        if (exists) return std::string();
        ASSIGN_OR_RETURN(auto created, app.vault().InitRecovery(c));
        security::AuditEvent event{
            std::nullopt, "generator", "vault.recovery_initialised", "vault", "", "", "{}"};
        RETURN_IF_ERROR(app.audit().Append(c, event));
        return created;
      }));
  if (key.empty())
    return Unprocessable(
        "a recovery key exists: designate the first reader with "
        "`psea intake readers add`");
  intake::RequestInfo info{"generator", ""};
  ASSIGN_OR_RETURN(auto granted, app.intake().AddReaderFromConsole(username, key, info));
  (void)granted;  // a new database: nothing sealed yet
  return key;
}

Status SeedComplaints(app::Application& app, int count) {
  ASSIGN_OR_RETURN(auto staff,
                   StaffOf(app, {security::Role::kIntakeOperator, security::Role::kCbcmFocalPoint,
                                 security::Role::kCdtOfficer}));
  ASSIGN_OR_RETURN(auto chiefs, StaffOf(app, {security::Role::kCdtChief}));
  std::optional<security::Principal> chief;
  if (!chiefs.empty()) {
    chief = chiefs.front();
    ASSIGN_OR_RETURN(auto key, DesignateFirstReader(app, chief->username));
    (void)key;  // benchmark data: the recovery key is not kept
  }
  return intake::GenerateComplaints(app.intake(), count, staff, chief,
                                    SystemClock::Instance().Now());
}

Status SeedDemoAssistance(app::Application& app, const std::vector<std::int64_t>& case_ids,
                          UnixMillis now);
Status SeedDemoTrustFund(app::Application& app, std::int64_t case_id, UnixMillis now);
Status SeedDemoPaternity(app::Application& app, std::int64_t case_id, UnixMillis now);

// ---- Demo cases: three invented complaints made into cases, each at another step of the
// work, so that the cases pages show something. The chief signs in (in process) to get a
// session whose vault key opens the complaints' sealed halves, which a case seals again; the
// session ends when the cases are made. The complaint of the demo that is ready for a case is
// left for the visitor (and the browser test) to open.
Status SeedDemoCases(app::Application& app, const std::vector<accounts::GeneratedCredential>& users,
                     const security::Principal& operator_, UnixMillis now) {
  constexpr std::int64_t kDay = 24LL * 3600 * 1000;
  std::string chief_password;
  for (const auto& user : users) {
    if (user.username == "demo.cdt_chief") chief_password = user.password;
  }
  if (chief_password.empty()) return Status::Ok();
  ASSIGN_OR_RETURN(auto login, app.accounts().Login("demo.cdt_chief", chief_password, std::nullopt,
                                                    {"demo", "demo"}));
  ASSIGN_OR_RETURN(auto chief, app.accounts().AuthenticateSession(login.session_token));
  intake::RequestInfo info{"demo", "demo"};
  // One complaint, assessed as SEA by mission personnel and routed to a case.
  auto complaint = [&](int days_ago, const char* town, const char* category,
                       const char* nationality, const char* type, int age,
                       bool child) -> Result<std::int64_t> {
    intake::NewComplaint n;
    n.channel = intake::Channel::kWalkIn;
    n.received_at = now - days_ago * kDay;
    n.reporter_relation = "community_member";
    n.anonymous = false;
    n.prefecture = "OMP";
    n.town = town;
    n.incident_date_precision = "month";
    n.incident_date = FormatIso8601(now - (days_ago + 20) * kDay).substr(0, 7);
    n.risk_child = child;
    intake::VictimFacts victim;
    victim.age = age;
    victim.age_group = age < 18 ? "minor" : "adult";
    victim.sex = "female";
    victim.referral_consent = "yes";
    n.victims = {victim};
    intake::PerpetratorFacts perpetrator;
    perpetrator.category = category;
    perpetrator.nationality = nationality;
    perpetrator.unit = "Demo battalion";
    perpetrator.identified = "yes";
    n.perpetrators = {perpetrator};
    n.identifying.reporter_name = "Demo Case Reporter " + std::to_string(days_ago);
    n.identifying.narrative =
        "DEMO DATA, invented: a complaint made up to show the case workflow. No real person "
        "or event is described.";
    n.identifying.victim_names = {"Demo Case Victim " + std::to_string(days_ago)};
    n.identifying.victim_pregnant = {"unknown"};
    n.identifying.victim_child_born = {"no"};
    n.identifying.perpetrator_names = {"Demo Subject " + std::to_string(days_ago)};
    n.identifying.perpetrator_descriptions = {""};
    ASSIGN_OR_RETURN(auto submitted, app.intake().Submit(operator_, std::move(n), info));
    const std::int64_t id = submitted.complaint.id;
    RETURN_IF_ERROR(app.intake().Acknowledge(chief, id, info));
    intake::Assessment assessment;
    assessment.is_sea = true;
    assessment.category = child ? "sexual_abuse" : "sexual_exploitation";
    assessment.type = type;
    assessment.affiliation = "mission";
    RETURN_IF_ERROR(app.intake().Assess(chief, id, assessment, info).status());
    intake::RouteRequest route;
    route.route = intake::Route::kCase;
    RETURN_IF_ERROR(app.intake().RouteComplaint(chief, id, route, info).status());
    return id;
  };
  auto open_case = [&](std::int64_t complaint_id) -> Result<cases::CaseView> {
    cases::NewCase request;
    request.complaint_ids = {complaint_id};
    return app.cases().Create(chief, request, {"demo", "demo"});
  };
  auto move = [&](const cases::CaseView& view, cases::CaseStatus to, int days_ago,
                  const std::string& entity = "",
                  const std::string& outcome = "") -> Result<cases::CaseView> {
    cases::TransitionRequest request;
    request.to = to;
    request.entity = entity;
    request.outcome = outcome;
    request.date = FormatIso8601(now - days_ago * kDay).substr(0, 10);
    return app.cases().Transition(chief, view.kase.id, request, view.kase.version,
                                  {"demo", "demo"});
  };
  using cases::CaseStatus;
  // Received 75 days ago, referred to the contingent's country, now under investigation.
  ASSIGN_OR_RETURN(auto first, complaint(75, "Boali", "military_contingent", "BD",
                                         "transactional_sex", 22, false));
  ASSIGN_OR_RETURN(auto investigated, open_case(first));
  ASSIGN_OR_RETURN(investigated, move(investigated, CaseStatus::kUnderAssessment, 73));
  ASSIGN_OR_RETURN(investigated, move(investigated, CaseStatus::kReferredForInvestigation, 68));
  ASSIGN_OR_RETURN(investigated,
                   move(investigated, CaseStatus::kUnderInvestigation, 60, "tcc_nio"));
  // A child, received 9 days ago, still being assessed: urgent, its referral is late.
  ASSIGN_OR_RETURN(auto second,
                   complaint(9, "Yaloké", "civilian_national", "", "sexual_assault", 15, true));
  ASSIGN_OR_RETURN(auto assessed, open_case(second));
  ASSIGN_OR_RETURN(assessed, move(assessed, CaseStatus::kUnderAssessment, 8));
  // Received 200 days ago, closed as substantiated.
  ASSIGN_OR_RETURN(auto third, complaint(200, "Bossembélé", "police_fpu", "SN",
                                         "exploitative_relationship", 27, false));
  ASSIGN_OR_RETURN(auto closed, open_case(third));
  ASSIGN_OR_RETURN(closed, move(closed, CaseStatus::kUnderAssessment, 198));
  ASSIGN_OR_RETURN(closed, move(closed, CaseStatus::kReferredForInvestigation, 195));
  ASSIGN_OR_RETURN(closed, move(closed, CaseStatus::kUnderInvestigation, 190, "pcc"));
  ASSIGN_OR_RETURN(closed, move(closed, CaseStatus::kReportReceived, 80));
  ASSIGN_OR_RETURN(closed, move(closed, CaseStatus::kUnderReview, 75));
  ASSIGN_OR_RETURN(closed, move(closed, CaseStatus::kClosed, 60, "", "substantiated"));
  // The Victims' Rights Advocate is linked to the two open cases: she sees those, not the third.
  if (auto vra = app.accounts().FindUserByName("demo.vra"); vra.ok()) {
    for (const auto* view : {&investigated, &assessed}) {
      RETURN_IF_ERROR(app.cases().LinkAdvocate(chief, view->kase.id, vra->id, info).status());
    }
    RETURN_IF_ERROR(SeedDemoAssistance(app, {investigated.kase.id, assessed.kase.id}, now));
    RETURN_IF_ERROR(SeedDemoTrustFund(app, investigated.kase.id, now));
    RETURN_IF_ERROR(SeedDemoPaternity(app, investigated.kase.id, now));
  }
  return app.accounts().Logout(chief, {"demo", "demo"});
}

// ---- Demo assistance files: three invented victims the demo VRA assists, two of them linked to
// the cases she is linked to and one assisted before any case exists, with consents (one
// withdrawn, a child's given by a guardian) and needs (a medical need after rape inside its
// 72 hours). Every name and number is made up and says so.
Status SeedDemoAssistance(app::Application& app, const std::vector<std::int64_t>& case_ids,
                          UnixMillis now) {
  constexpr std::int64_t kHour = 3600LL * 1000;
  auto found = app.accounts().FindUserByName("demo.vra");
  if (!found.ok()) return Status::Ok();
  security::Principal vra;
  vra.user_id = found->id;
  vra.username = found->username;
  vra.role = found->role;
  intake::RequestInfo info{"demo", "demo"};
  auto& assistance = app.assistance();
  auto time = [&](std::int64_t hours_ago) { return FormatIso8601(now - hours_ago * kHour); };
  auto consent = [&](std::int64_t file, const char* scope, const char* means, const char* guardian,
                     std::int64_t hours_ago) -> Result<assistance::Consent> {
    assistance::NewConsent request;
    request.scope = scope;
    request.means = means;
    request.given_at = time(hours_ago);
    if (guardian[0] != '\0') {
      request.given_by = "guardian";
      request.guardian = guardian;
    }
    if (request.scope == "contact") request.channel = "phone";
    if (request.scope == "information_sharing") request.with_whom = "the CDT's investigators";
    return assistance.AddConsent(vra, file, request, info);
  };
  auto need = [&](std::int64_t file, const char* type, const char* urgency, const char* notes,
                  bool after_rape, std::int64_t incident_hours_ago) -> Status {
    assistance::NewNeed request;
    request.type = type;
    request.urgency = urgency;
    request.notes = notes;
    request.after_rape = after_rape;
    if (incident_hours_ago > 0) request.incident_at = time(incident_hours_ago);
    return assistance.AddNeed(vra, file, request, info).status();
  };

  assistance::NewFile first;
  first.pseudonym = "Demo victim A";
  first.sex = "female";
  first.age = 22;
  first.prefecture = "OMP";
  if (!case_ids.empty()) first.case_ids = {case_ids[0]};
  first.identity = assistance::FileIdentity{"DEMO Invented Person A", "+236 00 00 00 01 (invented)",
                                            "Invented street, Boali (DEMO)", "", ""};
  ASSIGN_OR_RETURN(auto a, assistance.CreateFile(vra, first, info));
  RETURN_IF_ERROR(consent(a.file.id, "assistance", "oral", "", 24 * 60).status());
  RETURN_IF_ERROR(consent(a.file.id, "referral", "written", "", 24 * 60).status());
  ASSIGN_OR_RETURN(auto shared, consent(a.file.id, "information_sharing", "oral", "", 24 * 59));
  RETURN_IF_ERROR(assistance
                      .WithdrawConsent(vra, a.file.id, shared.id, time(24 * 30),
                                       "DEMO: the victim changed her mind", info)
                      .status());
  RETURN_IF_ERROR(need(a.file.id, "psychosocial", "high", "DEMO: counselling sessions", false, 0));
  RETURN_IF_ERROR(need(a.file.id, "livelihood", "medium", "DEMO: vocational training", false, 0));

  assistance::NewFile second;
  second.pseudonym = "Demo victim B";
  second.sex = "female";
  second.age = 15;
  second.prefecture = "OMP";
  if (case_ids.size() > 1) second.case_ids = {case_ids[1]};
  second.identity =
      assistance::FileIdentity{"DEMO Invented Child B", "", "Invented village, Yaloké (DEMO)",
                               "DEMO Invented Guardian B", "+236 00 00 00 02 (invented)"};
  ASSIGN_OR_RETURN(auto b, assistance.CreateFile(vra, second, info));
  RETURN_IF_ERROR(consent(b.file.id, "assistance", "thumbprint", "aunt", 30).status());
  RETURN_IF_ERROR(consent(b.file.id, "referral", "thumbprint", "aunt", 30).status());
  RETURN_IF_ERROR(need(b.file.id, "medical", "immediate", "DEMO: post-exposure care", true, 30));
  RETURN_IF_ERROR(need(b.file.id, "safety_protection", "immediate", "DEMO: safe place", false, 0));
  RETURN_IF_ERROR(need(b.file.id, "education", "medium", "DEMO: school fees", false, 0));

  assistance::NewFile third;
  third.pseudonym = "Demo complainant C";
  third.sex = "female";
  third.age_group = "adult";
  third.prefecture = "BGI";
  third.identity =
      assistance::FileIdentity{"DEMO Invented Person C", "+236 00 00 00 03 (invented)", "", "", ""};
  ASSIGN_OR_RETURN(auto c, assistance.CreateFile(vra, third, info));
  RETURN_IF_ERROR(consent(c.file.id, "contact", "oral", "", 48).status());
  RETURN_IF_ERROR(need(c.file.id, "basic_material", "high", "DEMO: food and clothing", false, 0));
  return need(c.file.id, "child_support", "medium", "DEMO: a child born of SEA", false, 0);
}

// ---- Demo paternity claim: one invented claim of the assistance file linked to `case_id`
// (demo victim A), against that case's first subject: notified to the Member State, the DNA
// sample collected and handed over twice (sealed), tested, established, and a monthly support
// with two payments received and one missed. Every name is made up and says so.
Status SeedDemoPaternity(app::Application& app, std::int64_t case_id, UnixMillis now) {
  constexpr std::int64_t kDay = 24LL * 3600 * 1000;
  auto found = app.accounts().FindUserByName("demo.vra");
  if (!found.ok()) return Status::Ok();
  security::Principal vra;
  vra.user_id = found->id;
  vra.username = found->username;
  vra.role = found->role;
  intake::RequestInfo info{"demo", "demo"};
  assistance::FileFilter filter;
  filter.case_id = case_id;
  ASSIGN_OR_RETURN(auto files, app.assistance().ListFiles(vra, filter));
  if (files.files.empty()) return Status::Ok();
  auto day = [&](std::int64_t days_ago) { return FormatIso8601(now - days_ago * kDay); };
  auto& paternity = app.paternity();
  paternity::NewClaim request;
  request.file_id = files.files.front().file.id;
  request.case_id = case_id;
  ASSIGN_OR_RETURN(auto kase, app.cases().Get(vra, case_id));
  if (!kase.kase.subjects.empty()) request.subject_id = kase.kase.subjects.front().id;
  request.claim_date = day(200).substr(0, 10);
  request.sealed = paternity::SealedPart{"DEMO Invented Child A1", "2026-01-15",
                                         "DEMO: the mother wants support for schooling and no "
                                         "contact with the father."};
  ASSIGN_OR_RETURN(auto claim, paternity.CreateClaim(vra, request, info));
  const std::int64_t id = claim.claim.id;
  RETURN_IF_ERROR(paternity
                      .CollectSample(vra, id,
                                     {"DEMO Nurse Invented", day(180), "Invented clinic, Boali",
                                      true, "DEMO: buccal swabs, sealed bag"},
                                     info)
                      .status());
  RETURN_IF_ERROR(
      paternity
          .HandOver(vra, id,
                    {"DEMO Nurse Invented", "DEMO Courier Invented", day(179), "Bangui", true, ""},
                    info)
          .status());
  ASSIGN_OR_RETURN(claim, paternity.HandOver(vra, id,
                                             {"DEMO Courier Invented", "DEMO Laboratory Invented",
                                              day(178), "Invented laboratory", true, ""},
                                             info));
  paternity::ClaimPatch patch;
  patch.ms_notified_at = day(195).substr(0, 10);
  patch.ms_reference = "DEMO-MS-0001";
  patch.lab = "DEMO Laboratory Invented";
  patch.tested_at = day(170).substr(0, 10);
  patch.result = "established_by_dna";
  patch.result_at = day(160).substr(0, 10);
  RETURN_IF_ERROR(
      paternity.UpdateClaim(vra, id, patch, claim.claim.version, cases::VersionSource::kBody, info)
          .status());
  ASSIGN_OR_RETURN(claim, paternity.AddSupport(vra, id,
                                               {"member_state_arrangement", 2500000, "XAF",
                                                "monthly", "member_state", day(150).substr(0, 10),
                                                "DEMO: invented arrangement"},
                                               info));
  const std::int64_t support_id = claim.claim.support.front().id;
  const std::pair<std::int64_t, const char*> payments[] = {
      {150, "received"}, {120, "received"}, {90, "missed"}};
  for (const auto& [days_ago, state] : payments) {
    RETURN_IF_ERROR(paternity
                        .AddPayment(vra, id, support_id,
                                    {day(days_ago).substr(0, 10), 2500000, state, ""}, info)
                        .status());
  }
  return Status::Ok();
}

// Cases for benchmarks: the first generated chief reads them all (the first cases reader, and
// the first intake reader, for whom the cases' source complaints are sealed), the generated
// officers and VRAs are assigned and linked in turn; then the evidence of those that reached
// investigation.
Result<evidence::EvidenceService::GeneratedEvidence> SeedCases(app::Application& app, int count) {
  ASSIGN_OR_RETURN(auto chiefs, StaffOf(app, {security::Role::kCdtChief}));
  if (chiefs.empty()) return Unprocessable("generate a CDT chief first", "users-per-role");
  ASSIGN_OR_RETURN(auto key, DesignateFirstReader(app, chiefs.front().username));
  (void)key;  // benchmark data: the recovery key is not kept
  ASSIGN_OR_RETURN(auto officers, StaffOf(app, {security::Role::kCdtOfficer}));
  ASSIGN_OR_RETURN(auto advocates, StaffOf(app, {security::Role::kVra}));
  ASSIGN_OR_RETURN(auto made,
                   app.cases().GenerateCases(count, chiefs.front(), officers, advocates));
  // The evidence of the cases that reached investigation, recorded by the first officer (the
  // chief when there is none).
  const security::Principal& recorder = officers.empty() ? chiefs.front() : officers.front();
  return app.evidence().GenerateEvidence(made, recorder);
}

// ---- The Trust Fund: one clearly invented project (run by the first demo provider) with a
// quarter's beneficiaries, and one invented transfer of withheld pay linked to a case the demo
// VRA sees. Every name, amount and reference is made up and says so.
Status SeedDemoTrustFund(app::Application& app, std::int64_t case_id, UnixMillis now) {
  auto found = app.accounts().FindUserByName("demo.vra");
  if (!found.ok()) return Status::Ok();
  security::Principal vra;
  vra.user_id = found->id;
  vra.username = found->username;
  vra.role = found->role;
  const trustfund::RequestInfo info{"demo", "demo"};
  constexpr std::int64_t kDay = 24LL * 60 * 60 * 1000;
  const std::string year = FormatIso8601(now).substr(0, 4);
  trustfund::Project project;
  project.title = "DEMO: invented livelihood and psychosocial support project";
  project.partner = "DEMO Invented implementing partner";
  ASSIGN_OR_RETURN(auto directory, app.providers().List(vra, providers::ProviderFilter{}));
  if (!directory.empty()) project.provider_id = directory.front().id;
  project.amount_minor = 12'500'000;  // 125,000.00 USD, invented
  project.currency = "USD";
  ASSIGN_OR_RETURN(project.start_day, trustfund::ParseDay(year + "-01-01", "start_day"));
  ASSIGN_OR_RETURN(project.end_day, trustfund::ParseDay(year + "-12-31", "end_day"));
  project.prefectures = {"BGI", "OMP"};
  project.services = {"psychosocial", "livelihood", "child_support"};
  project.status = "active";
  project.notes = "DEMO: invented project, for trying the page.";
  ASSIGN_OR_RETURN(auto created, app.trust_fund().CreateProject(vra, project, info));
  trustfund::Beneficiaries quarter;
  quarter.period_start = project.start_day;
  ASSIGN_OR_RETURN(quarter.period_end, trustfund::ParseDay(year + "-03-31", "period_end"));
  quarter.women = 18;
  quarter.girls = 7;
  quarter.boys = 2;
  quarter.children_born_of_sea = 4;
  quarter.note = "DEMO: invented counts";
  RETURN_IF_ERROR(app.trust_fund()
                      .PutBeneficiaries(vra, created.project.id, quarter, std::nullopt,
                                        trustfund::VersionSource::kBody, info)
                      .status());
  trustfund::Transfer transfer;
  transfer.transfer_day = (now - 30 * kDay) / kDay * kDay;
  transfer.amount_minor = 750'000;  // 750,000 XAF, invented
  transfer.currency = "XAF";
  transfer.contributor = "DEMO Invented Member State";
  transfer.case_id = case_id;
  transfer.reference = "DEMO-FIN-0001";
  transfer.notes = "DEMO: invented transfer of withheld allowances.";
  return app.trust_fund().CreateTransfer(vra, transfer, info).status();
}

// A few clearly invented service providers (the VRA's directory and map), one of them stale,
// one inactive, with sealed contacts for the victims readers; demo.provider_case_manager is
// linked to the first.
Status SeedDemoProviders(app::Application& app) {
  ASSIGN_OR_RETURN(auto vra, app.accounts().FindUserByName("demo.vra"));
  security::Principal demo;
  demo.user_id = vra.id;
  demo.username = "demo";
  demo.role = security::Role::kVra;
  const intake::RequestInfo info{"generator", ""};
  constexpr std::int64_t kDay = 24LL * 60 * 60 * 1000;
  const UnixMillis today = SystemClock::Instance().Now() / kDay * kDay;
  struct Seed {
    const char* name;
    const char* kind;
    std::vector<std::string> services;
    const char* prefecture;
    const char* town;
    std::int64_t lat_e6, lon_e6;
    const char* cost;
    int days_since_verified;
    bool active;
    const char* contact;
  };
  const Seed seeds[] = {
      {"Demo clinic Espoir (invented)",
       "health_facility",
       {"medical", "psychosocial"},
       "BGI",
       "Bangui",
       4'394'700,
       18'558'200,
       "free",
       20,
       true,
       "Demo Person A"},
      {"Demo legal aid office (invented)",
       "legal_aid",
       {"legal"},
       "BGI",
       "Bangui",
       4'371'000,
       18'582'000,
       "free",
       45,
       true,
       "Demo Person B"},
      {"Demo women's shelter (invented)",
       "shelter",
       {"safety_protection", "basic_material"},
       "OUA",
       "Bambari",
       5'762'800,
       20'674'200,
       "free",
       250,
       true,
       ""},
      {"Demo psychosocial network (invented)",
       "psychosocial",
       {"psychosocial", "child_support"},
       "HKO",
       "Bria",
       6'542'300,
       21'986'300,
       "subsidised",
       90,
       true,
       "Demo Person C"},
      {"Demo livelihood programme (invented)",
       "un_agency",
       {"livelihood", "education"},
       "OPE",
       "Bocaranga",
       7'013'000,
       15'610'000,
       "free",
       30,
       false,
       ""},
  };
  std::int64_t first = 0;
  for (const auto& seed : seeds) {
    providers::Provider p;
    p.name = seed.name;
    p.kind = seed.kind;
    p.services = seed.services;
    p.prefecture = seed.prefecture;
    p.town = seed.town;
    p.coordinates = providers::Coordinates{seed.lat_e6, seed.lon_e6};
    p.hours = "Mon-Fri 08:00-16:00";
    p.languages = {"French", "Sango"};
    p.capacity = "about 20 people a week";
    p.cost = seed.cost;
    p.public_phone = "+236 00 00 00 00";
    p.last_verified = today - seed.days_since_verified * kDay;
    std::optional<providers::ProviderContacts> contacts;
    if (*seed.contact) contacts = providers::ProviderContacts{seed.contact, "+236 00 00 00 01", ""};
    ASSIGN_OR_RETURN(auto created, app.providers().Create(demo, p, contacts, info));
    if (!seed.active) RETURN_IF_ERROR(app.providers().Deactivate(demo, created.id, info).status());
    if (first == 0) first = created.id;
  }
  if (auto manager = app.accounts().FindUserByName("demo.provider_case_manager"); manager.ok()) {
    RETURN_IF_ERROR(app.providers().AddMember(demo, first, manager->id, info));
  }
  return Status::Ok();
}

// Every module that has demo data adds it here, once, when the demo database is new.
Result<std::string> SeedDemo(app::Application& app, const Config& config) {
  ASSIGN_OR_RETURN(auto users, accounts::CreateDemoUsers(app.accounts()));
  RETURN_IF_ERROR(SeedDemoPlan(app, config));
  ASSIGN_OR_RETURN(auto recovery_key, DesignateFirstReader(app, "demo.cdt_chief"));
  // The VRA reads the victim part of the complaints that reach them.
  intake::RequestInfo info{"generator", ""};
  ASSIGN_OR_RETURN(auto granted, app.intake().AddReaderFromConsole("demo.vra", recovery_key, info,
                                                                   intake::ReaderSet::kVictims));
  (void)granted;
  RETURN_IF_ERROR(SeedDemoProviders(app));
  // A few invented complaints, each at one step of the work, none urgent left in the queue
  // (the browser tests count on a new urgent complaint heading it). `psea generate
  // --complaints N` makes many for benchmarks.
  ASSIGN_OR_RETURN(auto operators, StaffOf(app, {security::Role::kIntakeOperator}));
  ASSIGN_OR_RETURN(auto chiefs, StaffOf(app, {security::Role::kCdtChief}));
  if (!operators.empty() && !chiefs.empty()) {
    RETURN_IF_ERROR(intake::GenerateDemoComplaints(app.intake(), operators.front(), chiefs.front(),
                                                   SystemClock::Instance().Now()));
    RETURN_IF_ERROR(SeedDemoCases(app, users, operators.front(), SystemClock::Instance().Now()));
  }
  std::ostringstream text;
  text << "Demo accounts (generated; this is a DEMO database, 2FA is not required):\n";
  for (const auto& user : users) {
    text << "  " << user.username
         << std::string(28 - std::min<std::size_t>(27, user.username.size()), ' ') << user.password
         << "\n";
  }
  text
      << "\ndemo.cdt_chief is the intake reader, designated with the demo's recovery key:\n  "
      << recovery_key
      << "\ndemo.vra reads the victim part of the complaints that reach the Victims' Rights "
         "Advocate.\n(`psea intake readers add --username NAME` reads it on standard input. A real "
         "installation\nsplits this key and keeps it offline; it is printed here because this "
         "is a demo.)\n";
  return text.str();
}
}  // namespace

void RegisterDemo(CLI::App& root, Config& config, Action& run) {
  CLI::App* demo = root.add_subcommand(
      "demo",
      "Create (once) a demo database with generated data and one user per role, print their "
      "passwords, and serve the web app");
  AddStorageOptions(*demo, config);
  AddServeOptions(*demo, config);
  demo->callback([&config, &run] {
    run = [&config] {
      config.demo = true;
      config.may_create_database = true;
      log::Init(config.log_level);
      auto opened = app::Application::Open(config);
      if (!opened.ok()) return Fail(opened.status());
      auto& app = **opened;
      const std::filesystem::path credentials =
          std::filesystem::path(config.data_dir) / "demo-credentials.txt";
      auto users = app.accounts().ListUsers();
      if (!users.ok()) return Fail(users.status());
      if (users->empty()) {
        auto text = SeedDemo(app, config);
        if (!text.ok()) return Fail(text.status());
        const mode_t old_mask = ::umask(077);
        std::ofstream(credentials) << *text;
        ::umask(old_mask);
      }
      std::ifstream in(credentials);
      std::cout << "\n"
                << in.rdbuf() << "\nOpen http://" << config.listen
                << "/ and sign in with one of them. Ctrl-C stops the server.\n\n"
                << std::flush;
      Status served = app.Serve();
      return served.ok() ? 0 : Fail(served);
    };
  });
}

void RegisterGenerate(CLI::App& root, Config& config, Action& run) {
  static int users_per_role = 2;
  static int plan_goals = 0;
  static int plan_activities = 2000;
  static int plan_years = 5;
  static double plan_entry_share = 1.0;
  static int complaints = 0;
  static int cases = 0;
  static int assistance_files = 0;
  static int providers = 0;
  static int referrals = 0;
  static std::string password;
  static bool password_stdin = false;
  CLI::App* generate = root.add_subcommand(
      "generate", "Fill a database with generated records for benchmarks (never real data)");
  AddStorageOptions(*generate, config);
  generate->add_option("--users-per-role", users_per_role, "Generated users for each role")
      ->capture_default_str();
  generate->add_option("--plan-goals", plan_goals,
                       "Generate a plan with this many goals (0: none)");
  generate->add_option("--plan-activities", plan_activities, "Activities of the generated plan")
      ->capture_default_str();
  generate->add_option("--plan-years", plan_years, "Years the generated plan covers")
      ->capture_default_str();
  generate
      ->add_option("--plan-entry-share", plan_entry_share,
                   "Share of activity-months with a progress entry (0-1)")
      ->check(CLI::Range(0.0, 1.0))
      ->capture_default_str();
  generate->add_option("--complaints", complaints, "Generated complaints (intake)")
      ->check(CLI::Range(0, 10000000))
      ->capture_default_str();
  generate
      ->add_option(
          "--cases", cases,
          "Generated allegation cases (after the complaints), each with its source complaint "
          "(referred), evidence and IRT deployments")
      ->check(CLI::Range(0, 1000000))
      ->capture_default_str();
  // Victims' assistance (issue 13's benchmark: 5,000 files, 300 providers, 40,000 referrals).
  generate->add_option("--providers", providers, "Generated service providers")
      ->check(CLI::Range(0, 100000))
      ->capture_default_str();
  generate
      ->add_option("--assistance-files", assistance_files,
                   "Generated assistance files (no identity), each with a referral consent and "
                   "2 to 4 needs, referred to the generated providers")
      ->check(CLI::Range(0, 1000000))
      ->capture_default_str();
  generate
      ->add_option("--referrals", referrals,
                   "Generated referrals, spread over the assistance files' needs")
      ->check(CLI::Range(0, 10000000))
      ->capture_default_str();
  generate->add_flag("--password-stdin", password_stdin,
                     "Read the generated users' password from standard input");
  generate->callback([&config, &run] {
    run = [&config] {
      password = password_stdin ? ReadLineFromStdin() : accounts::ReadablePassword();
      // The generator files thousands of reports through the public form in a minute; the
      // limits that protect a running server from a flood do not apply to it.
      config.public_reports_per_minute = std::max(config.public_reports_per_minute, 1'000'000);
      config.public_reports_per_hour = std::max(config.public_reports_per_hour, 1'000'000);
      auto app = OpenForCommand(config);
      if (!app.ok()) return Fail(app.status());
      auto users = accounts::GenerateUsers((*app)->accounts(), users_per_role, password);
      if (!users.ok()) return Fail(users.status());
      std::cout << "generated " << users->size() << " users (password: " << password << ")\n";
      if (plan_goals > 0) {
        security::Principal generator;
        generator.username = "generator";
        const auto document =
            plan::GeneratePlanDocument(plan_goals, plan_activities, plan_years, 2020);
        auto plan = (*app)->plans().ImportDocument(generator, document, "");
        if (!plan.ok()) return Fail(plan.status());
        Status entries =
            plan::GenerateEntries((*app)->plans(), generator, plan->id, plan_entry_share);
        if (!entries.ok()) return Fail(entries);
        std::cout << "generated plan " << plan->id << " (" << plan_goals << " goals, "
                  << plan_activities << " activities, " << plan_years << " years)\n";
      }
      if (complaints > 0) {
        Status generated = SeedComplaints(**app, complaints);
        if (!generated.ok()) return Fail(generated);
        std::cout << "generated " << complaints << " complaints\n";
      }
      if (cases > 0) {
        auto generated = SeedCases(**app, cases);
        if (!generated.ok()) return Fail(generated.status());
        std::cout << "generated " << cases << " cases, " << generated->items << " evidence items ("
                  << generated->custody_entries << " custody entries), " << generated->deployments
                  << " IRT deployments\n";
      }
      if (providers > 0 || assistance_files > 0) {
        auto prefectures = (*app)->providers().Prefectures();
        if (!prefectures.ok()) return Fail(prefectures.status());
        std::vector<std::string> codes;
        for (const auto& p : *prefectures) codes.push_back(p.code);
        auto generated =
            (*app)->referrals().Generate({assistance_files, providers, referrals}, codes);
        if (!generated.ok()) return Fail(generated.status());
        std::cout << "generated " << generated->providers << " providers, " << generated->files
                  << " assistance files, " << generated->needs << " needs, " << generated->referrals
                  << " referrals\n";
      }
      return 0;
    };
  });
}

}  // namespace psea::cli
