#include "app/app.h"

#include <filesystem>
#include <fstream>

#include "app/alerts.h"
#include "core/log.h"
#include "core/share.h"
#include "core/version.h"
#include "http/json.h"
#include "http/pipeline.h"
#include "modules/assistance/gaps_handlers.h"
#include "modules/assistance/handlers.h"
#include "modules/assistance/referrals_handlers.h"
#include "modules/audit/handlers.h"
#include "modules/cases/handlers.h"
#include "modules/evidence/handlers.h"
#include "modules/paternity/handlers.h"
#include "modules/plan/handlers.h"
#include "modules/providers/handlers.h"
#include "modules/retention/handlers.h"
#include "modules/trustfund/handlers.h"
#include "modules/units/handlers.h"
#include "security/crypto.h"
#include "security/server_key.h"
#include "storage/migrations.h"

namespace psea::app {

namespace json = boost::json;
namespace fs = std::filesystem;

std::vector<storage::Migration> AllMigrations() {
  std::vector<storage::Migration> all;
  auto append = [&all](std::vector<storage::Migration> more) {
    for (auto& migration : more) all.push_back(std::move(migration));
  };
  append(security::AuditLog::Migrations());
  append(security::Vault::Migrations());
  append(security::ReaderRegistry::Migrations());
  append(accounts::AccountsService::Migrations());
  append(units::UnitsService::Migrations());
  append(plan::PlanService::Migrations());
  append(intake::IntakeService::Migrations());
  append(cases::CasesService::Migrations());
  append(evidence::EvidenceService::Migrations());
  append(providers::ProvidersService::Migrations());
  append(assistance::AssistanceService::Migrations());
  append(trustfund::TrustFundService::Migrations());
  append(paternity::PaternityService::Migrations());
  append(assistance::ReferralsService::Migrations());
  append(retention::RetentionService::Migrations());
  append(mail::MailOutbox::Migrations());
  return all;
}

namespace {
intake::ReportingContact ContactFromConfig(const Config& config) {
  intake::ReportingContact contact;
  contact.hotlines = SplitCommaList(config.public_hotlines);
  contact.email = config.public_email;
  contact.text = config.public_contact_text;
  return contact;
}

// The catalogs' folder: --public-catalogs, else data/i18n/report in the share folder
// (core/share.h).
std::string FindCatalogDir(const Config& config) {
  if (!config.public_catalogs_dir.empty()) return config.public_catalogs_dir;
  const std::string french = FindShared(config.share_dir, {"data/i18n/report/fr.json"});
  return french.empty() ? std::string() : fs::path(french).parent_path().string();
}

Status EnsureSqliteFolder(const std::string& url) {
  if (url.rfind("sqlite:", 0) != 0) return Status::Ok();
  const fs::path path(url.substr(7));
  if (path == ":memory:" || !path.has_parent_path()) return Status::Ok();
  std::error_code error;
  fs::create_directories(path.parent_path(), error);
  if (error)
    return Unavailable("cannot create " + path.parent_path().string() + ": " + error.message());
  return Status::Ok();
}

// A command that does not create databases must find one: a mistyped --db would otherwise
// leave an empty database (and a new server.key) behind.
Status RequireSqliteFile(const std::string& url) {
  if (url.rfind("sqlite:", 0) != 0) return Status::Ok();
  const fs::path path(url.substr(7));
  if (path == ":memory:") return Status::Ok();
  std::error_code error;
  if (fs::exists(path, error)) return Status::Ok();
  // Not "missing" when this user may not look: that is a permission to fix, not a typo.
  if (error) return Unavailable("cannot reach " + path.string() + ": " + error.message());
  return Status(ErrorCode::kNotFound,
                "there is no database at " + path.string() +
                    ": check --db (PSEA_DB); only `psea migrate` creates a database",
                "db");
}

Status RequireSchema(storage::Database& database) {
  auto kind = database.Read<storage::InstanceKind>(
      [](storage::Connection& c) { return storage::ReadInstanceKind(c); });
  if (kind.ok() || kind.status().code() != ErrorCode::kNotFound) return kind.status();
  return Status(ErrorCode::kNotFound,
                "the database " + database.Describe() +
                    " has no psea schema: check --db (PSEA_DB); only `psea migrate` creates "
                    "the schema",
                "db");
}
}  // namespace

Application::~Application() = default;

Result<std::unique_ptr<Application>> Application::Open(const Config& config) {
  RETURN_IF_ERROR(ValidateConfig(config));
  security::InitCrypto();
  std::unique_ptr<Application> app(new Application());
  app->config_ = config;
  app->public_page_.contact = ContactFromConfig(config);
  RETURN_IF_ERROR(config.may_create_database ? EnsureSqliteFolder(config.db_url)
                                             : RequireSqliteFile(config.db_url));
  ASSIGN_OR_RETURN(app->database_, storage::OpenDatabase(config.db_url, config.threads + 2));
  if (!config.may_create_database) RETURN_IF_ERROR(RequireSchema(*app->database_));
  ASSIGN_OR_RETURN(auto report, storage::Migrate(*app->database_, AllMigrations(),
                                                 config.demo ? storage::InstanceKind::kDemo
                                                             : storage::InstanceKind::kProduction));
  if (config.demo && report.kind != storage::InstanceKind::kDemo) {
    return Unprocessable(
        "this database was created without the demo flag and can never become a demo database; "
        "use another --db for the demo");
  }
  app->demo_ = report.kind == storage::InstanceKind::kDemo;
  app->created_ = report.created;
  if (report.applied > 0) {
    log::Info("migrated", {{"applied", std::to_string(report.applied)},
                           {"database", app->database_->Describe()}});
  }
  // A database with no users yet may get a new key (a fresh install, or one made by
  // `psea migrate`); one with users needs the key it was made with.
  ASSIGN_OR_RETURN(
      auto existing_users,
      app->database_->Read<std::int64_t>([](storage::Connection& c) -> Result<std::int64_t> {
        ASSIGN_OR_RETURN(auto row, c.QueryOne("SELECT COUNT(*) FROM users"));
        return row->Int(0);
      }));
  ASSIGN_OR_RETURN(auto server_key,
                   security::LoadOrCreateServerKey(
                       config.data_dir, config.may_create_database && existing_users == 0));
  const auto cost = security::CostFromProfile(config.argon2_profile);
  app->audit_ = std::make_unique<security::AuditLog>(*app->clock_);
  app->vault_ = std::make_unique<security::Vault>(*app->clock_, cost, server_key);
  // Trust on first use: the first start after the upgrade that added public-key MACs binds
  // the keys it finds to their owners; from then on a key changed in the database is refused.
  ASSIGN_OR_RETURN(
      auto bound,
      app->database_->Write<std::int64_t>([&](storage::Connection& c) -> Result<std::int64_t> {
        ASSIGN_OR_RETURN(auto count, app->vault_->BindUnboundPublicKeys(c));
        if (count > 0) {
          security::AuditEvent event{std::nullopt,
                                     "system",
                                     "vault.public_keys_bound",
                                     "vault",
                                     "",
                                     "",
                                     "{\"keys\":" + std::to_string(count) + "}"};
          RETURN_IF_ERROR(app->audit_->Append(c, event));
        }
        return count;
      }));
  if (bound > 0) {
    log::Warn("vault public keys bound to the server key (trust on first use)",
              {{"keys", std::to_string(bound)}});
  }
  // The mail outbox exists without --alert-email-to too: `psea mail` reads it.
  app->outbox_ = std::make_unique<mail::MailOutbox>(*app->database_, *app->clock_,
                                                    mail::RetrySchedule{config.mail_retry_unit_ms});
  if (!config.alert_email_to.empty()) {
    app->mail_ = std::make_unique<MailQueue>(*app->outbox_, SendmailSender(config.alert_sendmail));
    app->mail_to_ = SplitAddresses(config.alert_email_to);
  }
  std::function<void(const security::ReaderChange&)> reader_alerts;
  if (app->mail_) {
    reader_alerts = ReaderChangeAlerts(*app->mail_, config.alert_email_from, app->mail_to_);
  }
  accounts::AccountsSettings settings;
  settings.on_reader_access_ended = [reader_alerts, now_of = app->clock_](
                                        std::int64_t user_id, const std::string& username,
                                        const std::vector<std::string>& scopes,
                                        const std::string& reason) {
    if (!reader_alerts) return;
    for (const auto& scope : scopes) {
      security::ReaderChange change;
      change.scope = scope;
      change.kind = security::ReaderChangeKind::kAccessEnded;
      change.user_id = user_id;
      change.username = username;
      change.by_name = "accounts";
      change.reason = reason;
      change.at = now_of->Now();
      reader_alerts(change);
    }
  };
  settings.session_idle_seconds = config.session_idle_seconds;
  settings.session_absolute_seconds = config.session_absolute_seconds;
  settings.cost = cost;
  settings.demo = app->demo_;
  app->accounts_ = std::make_unique<accounts::AccountsService>(
      *app->database_, *app->clock_, *app->audit_, *app->vault_, app->keyring_,
      security::SecretBytes(server_key.bytes()), settings);
  app->units_ = std::make_unique<units::UnitsService>(*app->database_, *app->clock_, *app->audit_);
  accounts::AccountsService* accounts = app->accounts_.get();
  MailQueue* mail = app->mail_.get();
  const std::vector<std::string>& mail_to = app->mail_to_;
  app->intake_ = std::make_unique<intake::IntakeService>(
      *app->database_, *app->clock_, *app->audit_, *app->vault_, app->keyring_,
      security::SecretBytes(server_key.bytes()),
      [accounts]() -> Result<std::vector<intake::StaffMember>> {
        ASSIGN_OR_RETURN(auto users, accounts->ListUsers());
        std::vector<intake::StaffMember> staff;
        staff.reserve(users.size());
        for (const auto& user : users) {
          staff.push_back({user.id, user.username, user.display_name, user.role, user.disabled});
        }
        return staff;
      },
      [&config, accounts, mail, &mail_to, reader_alerts, self = app.get()] {
        intake::IntakeSettings settings;
        settings.verify_step_up =
            [accounts](const security::Principal& principal, const security::StepUpProof& proof,
                       const std::string& remote_address, const std::string& request_id) {
              return accounts->VerifyStepUp(principal, proof, {remote_address, request_id});
            };
        settings.public_submissions_per_address_per_hour = config.public_reports_per_hour;
        settings.public_submissions_per_minute = config.public_reports_per_minute;
        settings.sms_retry_base_millis = config.sms_retry_base_ms;
        settings.contact = ContactFromConfig(config);
        settings.files_dir = (fs::path(config.data_dir) / "intake").string();
        if (mail) settings.on_urgent = UrgentAlerts(*mail, config.alert_email_from, mail_to);
        // Victims' assistance: a former victims reader's keys to the files' identities go at
        // once (the assistance service exists by the time anyone changes readers).
        settings.on_readers_changed = [reader_alerts, self](const security::ReaderChange& change) {
          if (reader_alerts) reader_alerts(change);
          if (change.scope != intake::kVictimReaderScope ||
              change.kind == security::ReaderChangeKind::kAdded || !self->assistance_) {
            return;
          }
          auto revoked =
              self->assistance_->RevokeFormerVictimsReader(change.user_id, change.by_name);
          if (!revoked.ok()) {
            log::Error("assistance_revoke_failed", {{"user_id", std::to_string(change.user_id)},
                                                    {"detail", revoked.status().ToString()}});
          }
        };
        settings.sms_gateway_of =
            [accounts](std::int64_t token_id) -> Result<std::optional<std::string>> {
          ASSIGN_OR_RETURN(auto tokens, accounts->ListTokens());
          for (const auto& token : tokens) {
            if (token.id == token_id && !token.revoked && !token.sms_gateway.empty()) {
              return std::optional<std::string>(token.sms_gateway);
            }
          }
          return std::optional<std::string>();
        };
        return settings;
      }());
  {
    cases::CaseSettings settings;
    settings.reference_prefix = config.case_prefix;
    settings.mission = config.case_prefix;
    settings.staff = [accounts]() -> Result<std::vector<intake::StaffMember>> {
      ASSIGN_OR_RETURN(auto users, accounts->ListUsers());
      std::vector<intake::StaffMember> staff;
      staff.reserve(users.size());
      for (const auto& user : users) {
        staff.push_back({user.id, user.username, user.display_name, user.role, user.disabled});
      }
      return staff;
    };
    units::UnitsService* units = app->units_.get();
    settings.units_of_user = [units](std::int64_t user) -> Result<std::vector<std::string>> {
      ASSIGN_OR_RETURN(auto ids, units->UnitsOfUser(user));
      std::vector<std::string> codes;
      for (std::int64_t id : ids) {
        ASSIGN_OR_RETURN(auto unit, units->Get(id));
        codes.push_back(unit.code);
      }
      return codes;
    };
    settings.verify_step_up =
        [accounts](const security::Principal& principal, const security::StepUpProof& proof,
                   const std::string& remote_address, const std::string& request_id) {
          return accounts->VerifyStepUp(principal, proof, {remote_address, request_id});
        };
    app->cases_ = std::make_unique<cases::CasesService>(*app->database_, *app->clock_, *app->audit_,
                                                        *app->vault_, app->keyring_, *app->intake_,
                                                        server_key, std::move(settings));
    // The reporter's follow-up page shows the case's step; intake asks, the cases module reads.
    const cases::CasesService* cases = app->cases_.get();
    app->intake_->SetCaseProgress([cases](storage::Connection& c, std::int64_t complaint_id) {
      return cases->ReporterStepOfComplaint(c, complaint_id);
    });
  }
  {
    // Evidence files live under DATA_DIR/evidence (which the backups hold), beside the plan's.
    evidence::EvidenceSettings settings;
    settings.files_dir = (fs::path(config.data_dir) / "evidence" / "cases").string();
    app->evidence_ = std::make_unique<evidence::EvidenceService>(
        *app->database_, *app->clock_, *app->audit_, *app->cases_,
        security::SecretBytes(server_key.bytes()), std::move(settings));
    evidence::EvidenceService* evidence = app->evidence_.get();
    app->cases_->AddPurgeHook(
        [evidence](storage::Connection& c, std::int64_t case_id, std::vector<std::string>& files) {
          return evidence->PurgeCase(c, case_id, files);
        });
  }
  {
    // The service providers' directory; its sealed contacts are held by the victims readers.
    providers::ProvidersSettings settings;
    settings.stale_days = config.provider_stale_days;
    settings.staff = [accounts]() -> Result<std::vector<intake::StaffMember>> {
      ASSIGN_OR_RETURN(auto users, accounts->ListUsers());
      std::vector<intake::StaffMember> staff;
      staff.reserve(users.size());
      for (const auto& user : users) {
        staff.push_back({user.id, user.username, user.display_name, user.role, user.disabled});
      }
      return staff;
    };
    app->providers_ = std::make_unique<providers::ProvidersService>(
        *app->database_, *app->clock_, *app->audit_, *app->vault_, app->keyring_, *app->intake_,
        std::move(settings));
    const providers::ProvidersService* directory = app->providers_.get();
    app->intake_->AddVictimItemsSource(
        {[directory](storage::Connection& c) { return directory->ContactItems(c); }, nullptr});
  }
  {
    // Victims' assistance: the VRA's files; a purged case's links go, the files stay.
    assistance::AssistanceSettings settings;
    const providers::ProvidersService* members = app->providers_.get();
    settings.provider_of_user = [members](storage::Connection& c, std::int64_t user) {
      return members->ProviderOfUser(c, user);
    };
    settings.staff = [accounts]() -> Result<std::vector<intake::StaffMember>> {
      ASSIGN_OR_RETURN(auto users, accounts->ListUsers());
      std::vector<intake::StaffMember> staff;
      staff.reserve(users.size());
      for (const auto& user : users) {
        staff.push_back({user.id, user.username, user.display_name, user.role, user.disabled});
      }
      return staff;
    };
    app->assistance_ = std::make_unique<assistance::AssistanceService>(
        *app->database_, *app->clock_, *app->audit_, *app->vault_, app->keyring_, *app->cases_,
        *app->intake_, std::move(settings));
    const assistance::AssistanceService* assistance = app->assistance_.get();
    // A victims reader added later receives the cases' victims and the files' identities with
    // intake's; one removed keeps what they hold on another title.
    const cases::CasesService* cases = app->cases_.get();
    app->intake_->AddVictimItemsSource(
        {[cases](storage::Connection& c) { return cases->VictimItems(c); },
         [cases](storage::Connection& c, std::int64_t user) {
           return cases->VictimItemsHeldBy(c, user);
         }});
    app->intake_->AddVictimItemsSource(
        {[assistance](storage::Connection& c) { return assistance->IdentityItemsForReaders(c); },
         [assistance](storage::Connection& c, std::int64_t user) {
           return assistance->IdentityItemsHeldBy(c, user);
         }});
    app->cases_->AddPurgeHook(
        [assistance](storage::Connection& c, std::int64_t case_id, std::vector<std::string>&) {
          return assistance->PurgeCase(c, case_id);
        });
  }
  {
    // The Trust Fund in Support of Victims: its partners from the providers' directory, its
    // transfers' cases seen through the cases service's need-to-know, places from intake.
    trustfund::TrustFundLinks links;
    const providers::ProvidersService* directory = app->providers_.get();
    links.provider_name = [directory](storage::Connection& c,
                                      std::int64_t id) -> Result<std::optional<std::string>> {
      ASSIGN_OR_RETURN(auto found, directory->FindProvider(c, id));
      if (!found) return std::optional<std::string>();
      return std::optional<std::string>(found->name);
    };
    cases::CasesService* kases = app->cases_.get();
    links.case_reference = [kases](const security::Principal& caller,
                                   std::int64_t id) -> Result<std::optional<std::string>> {
      auto kase = kases->Get(caller, id);
      if (kase.ok()) return std::optional<std::string>(kase->kase.reference);
      if (kase.status().code() == ErrorCode::kNotFound ||
          kase.status().code() == ErrorCode::kPermissionDenied) {
        return std::optional<std::string>();
      }
      return kase.status();
    };
    intake::IntakeService* intake = app->intake_.get();
    links.is_prefecture = [intake](const std::string& code) -> Result<bool> {
      ASSIGN_OR_RETURN(auto places, intake->Places());
      for (const auto& prefecture : places->prefectures) {
        if (prefecture.code == code) return true;
      }
      return false;
    };
    app->trust_fund_ = std::make_unique<trustfund::TrustFundService>(
        *app->database_, *app->clock_, *app->audit_, std::move(links));
    const trustfund::TrustFundService* fund = app->trust_fund_.get();
    app->cases_->AddPurgeHook(
        [fund](storage::Connection& c, std::int64_t case_id, std::vector<std::string>&) {
          return fund->PurgeCase(c, case_id);
        });
    app->indicators_.Register(
        {std::string(trustfund::TrustFundService::kIndicatorBeneficiaries),
         "People reached by projects of the Trust Fund in Support of Victims (women, girls, men, "
         "boys and children born of SEA) in reporting periods starting in the period",
         "count", "",
         [fund](storage::Connection& c, const plan::IndicatorPeriod& period) -> Result<double> {
           return fund->IndicatorValue(c, plan::FormatMonth(period.from),
                                       plan::FormatMonth(period.to));
         }});
    // Paternity claims of the assistance files: the sealed parts (the child's identity, the
    // wishes) are victim items, so a victims reader added or removed later gains or loses them;
    // the plan's computed indicators count the claims open at the period's end; a purged case's
    // claims lose their case and subject, and stay.
    app->paternity_ = std::make_unique<paternity::PaternityService>(
        *app->database_, *app->clock_, *app->audit_, *app->vault_, app->keyring_, *app->assistance_,
        *app->cases_);
    const paternity::PaternityService* claims = app->paternity_.get();
    app->assistance_->AddDesigneeHook(
        [claims](storage::Connection& c,
                 const assistance::AssistanceService::DesigneeChange& change) {
          return claims->OnDesigneeChange(c, change);
        });
    app->intake_->AddVictimItemsSource(
        {[claims](storage::Connection& c) { return claims->SealedItems(c); },
         [claims](storage::Connection& c, std::int64_t user) {
           return claims->SealedItemsHeldBy(c, user);
         }});
    app->cases_->AddPurgeHook(
        [claims](storage::Connection& c, std::int64_t case_id, std::vector<std::string>&) {
          return claims->PurgeCase(c, case_id);
        });
    using PS = paternity::PaternityService;
    const std::pair<const char*, const char*> computed[] = {
        {PS::kIndicatorOpenClaims,
         "Paternity claims open at the end of the period (claimed, not closed)"},
        {PS::kIndicatorOpenClaimsOverAYear,
         "Paternity claims open at the end of the period and made 365 days or more before it"},
    };
    for (const auto& [key, description] : computed) {
      const std::string indicator(key);
      app->indicators_.Register(
          {indicator, description, "count", "",
           [claims, indicator, clock = app->clock_](
               storage::Connection& c, const plan::IndicatorPeriod& period) -> Result<double> {
             // The end of the period: the first day after its last month, or now if sooner.
             const int next = period.to + 1;
             const auto end = ParseIso8601(plan::FormatMonth(next) + "-01");
             const UnixMillis now = clock->Now();
             const UnixMillis at = end ? std::min<UnixMillis>(*end - 1, now) : now;
             return claims->IndicatorValue(c, indicator, at);
           }});
    }
  }
  {
    auto places = intake::ParseLocationsYaml(intake::CarPlacesYaml());
    if (!places.ok()) {
      // Built into the binary and tested: a failure here is a build that must not ship.
      return Internal("data/locations/car.yaml: " + places.status().message());
    }
    app->intake_->SetDefaultPlaces(std::move(places).value());
  }
  // The action plan's indicators that complaints compute (Prevention goal 5's "use of the
  // hotline 4044", Enforcement's "all complaints recorded" and the acknowledgement target).
  {
    const intake::IntakeService* intake = app->intake_.get();
    const std::pair<std::string_view, std::pair<const char*, std::pair<const char*, const char*>>>
        computed[] = {
            {intake::IntakeService::kIndicatorComplaints,
             {"Complaints recorded in the period, on every channel", {"count", ""}}},
            {intake::IntakeService::kIndicatorHotline4044,
             {"Complaints received on the hotline 4044 in the period", {"count", ""}}},
            {intake::IntakeService::kIndicatorAcknowledgedInTime,
             {"Share of the period's complaints acknowledged within the target (24 hours for "
              "urgent ones, 72 for the others, unless the CDT chief set others)",
              {"%", "100"}}},
        };
    for (const auto& [key, rest] : computed) {
      const std::string indicator(key);
      app->indicators_.Register(
          {indicator, rest.first, rest.second.first, rest.second.second,
           [intake, indicator](storage::Connection& c,
                               const plan::IndicatorPeriod& period) -> Result<double> {
             return intake->IndicatorValue(c, indicator, plan::FormatMonth(period.from),
                                           plan::FormatMonth(period.to));
           }});
    }
  }
  // The action plan's indicators that cases compute (Enforcement: compliance with the
  // investigation timelines, action on every allegation, victims informed in time).
  {
    const cases::CasesService* kases = app->cases_.get();
    using CS = cases::CasesService;
    const std::pair<std::string_view, std::pair<const char*, std::pair<const char*, const char*>>>
        computed[] = {
            {CS::kIndicatorInvestigationsWithinTimeline,
             {"Share of the investigations of the period's allegations completed within the "
              "timeline (6 months, 3 for urgent cases, unless the CDT chief set others)",
              {"%", "100"}}},
            {CS::kIndicatorOpenAllegations,
             {"Allegations reported in the period and not closed yet", {"count", ""}}},
            {CS::kIndicatorMedianInvestigationDays,
             {"Median days from referral to the investigation report, over the period's "
              "allegations whose report was received",
              {"days", ""}}},
            {CS::kIndicatorVictimsInformed,
             {"Share of the period's cases whose victims were informed of progress within the "
              "interval every time",
              {"%", "100"}}},
        };
    for (const auto& [key, rest] : computed) {
      const std::string indicator(key);
      app->indicators_.Register(
          {indicator, rest.first, rest.second.first, rest.second.second,
           [kases, indicator](storage::Connection& c,
                              const plan::IndicatorPeriod& period) -> Result<double> {
             return kases->IndicatorValue(c, indicator, plan::FormatMonth(period.from),
                                          plan::FormatMonth(period.to));
           }});
    }
  }
  // The gap table and the victims-assisted figure (issue 13, "Figures"): the providers' and the
  // files' aggregates side by side; the indicator counts files with a need met in the period.
  {
    app->gaps_ = std::make_unique<assistance::GapsService>(
        *app->database_, *app->clock_, *app->providers_, *app->cases_, *app->intake_);
    const assistance::GapsService* gaps = app->gaps_.get();
    const std::string indicator(assistance::GapsService::kIndicatorVictimsAssisted);
    app->indicators_.Register(
        {indicator,
         "Victims assisted in the period: assistance files with a need met (the service given) "
         "in the period",
         "count", "",
         [gaps, indicator](storage::Connection& c,
                           const plan::IndicatorPeriod& period) -> Result<double> {
           return gaps->IndicatorValue(c, indicator, plan::FormatMonth(period.from),
                                       plan::FormatMonth(period.to));
         }});
  }
  // Referrals to service providers, the service tracking table and their indicators
  // (Remedial pillar: referral within 24 and 72 hours, days to the service's start).
  {
    app->referrals_ = std::make_unique<assistance::ReferralsService>(
        *app->database_, *app->clock_, *app->audit_, *app->assistance_, *app->providers_);
    const assistance::ReferralsService* referrals = app->referrals_.get();
    using RS = assistance::ReferralsService;
    const std::pair<std::string_view, std::pair<const char*, std::pair<const char*, const char*>>>
        computed[] = {
            {RS::kIndicatorReferredWithin24h,
             {"Share of the victims whose assistance file opened in the period who were referred "
              "to a service within 24 hours",
              {"%", "100"}}},
            {RS::kIndicatorReferredWithin72h,
             {"Share of the victims whose assistance file opened in the period who were referred "
              "to a service within 72 hours",
              {"%", "100"}}},
            {RS::kIndicatorMedianDaysToService,
             {"Median days from referral to the start of the service, over the period's "
              "referrals whose service started",
              {"days", ""}}},
        };
    for (const auto& [key, rest] : computed) {
      const std::string indicator(key);
      app->indicators_.Register(
          {indicator, rest.first, rest.second.first, rest.second.second,
           [referrals, indicator](storage::Connection& c,
                                  const plan::IndicatorPeriod& period) -> Result<double> {
             return referrals->IndicatorValue(c, indicator, plan::FormatMonth(period.from),
                                              plan::FormatMonth(period.to));
           }});
    }
  }
  app->plans_ = std::make_unique<plan::PlanService>(
      *app->database_, *app->clock_, *app->audit_, *app->units_, app->indicators_,
      std::move(server_key), (fs::path(config.data_dir) / "evidence").string());
  app->retention_ = std::make_unique<retention::RetentionService>(
      *app->database_, *app->clock_, *app->audit_, *app->intake_, *app->cases_, *app->accounts_);
  return app;
}

Status Application::LoadPublicCatalogs() {
  const std::string folder = FindCatalogDir(config_);
  if (folder.empty()) {
    return NotFound(
        "the public page's catalogs (data/i18n/report/*.json) are in none of the share folders "
        "(BIN/../share/psea, BIN/.., ., .., /usr/share/psea): run `cmake --install`, or give "
        "--share-dir or --public-catalogs");
  }
  const auto languages = SplitCommaList(config_.public_languages);
  ASSIGN_OR_RETURN(auto loaded,
                   intake::LoadReportCatalogs(folder, languages, intake::PublicPageKeys()));
  for (const auto& warning : loaded.warnings) {
    log::Warn("public_catalog", {{"folder", folder}, {"detail", warning}});
  }
  // Offered in the order configured; French is loaded in any case, as the fallback.
  public_page_.catalogs.clear();
  for (const auto& code : languages) {
    for (const auto& catalog : loaded.catalogs) {
      if (catalog.code == code) public_page_.catalogs.push_back(catalog);
    }
  }
  std::string offered;
  for (const auto& catalog : public_page_.catalogs) {
    if (!offered.empty()) offered += ",";
    offered += catalog.code;
    if (catalog.needs_review) offered += " (needs review)";
  }
  log::Info("public_languages", {{"folder", folder}, {"languages", offered}});
  return Status::Ok();
}

void Application::RegisterRoutes() {
  if (!router_.routes().empty()) return;
  storage::Database* database = database_.get();
  http::Metrics* metrics = &metrics_;
  mail::MailOutbox* outbox = outbox_.get();
  const MailQueue* mail = mail_.get();
  const bool demo = demo_;

  router_.Add({.method = "GET",
               .pattern = "/healthz",
               .access = http::Access::kPublic,
               .handler = [database](http::RequestContext&) -> Result<http::HttpResponse> {
                 auto probe = database->Read<std::int64_t>(
                     [](storage::Connection& c) -> Result<std::int64_t> {
                       ASSIGN_OR_RETURN(auto row, c.QueryOne("SELECT 1"));
                       return row->Int(0);
                     });
                 if (!probe.ok()) return Unavailable("the database does not answer");
                 return http::JsonResponse(json::object{{"status", "ok"}, {"database", "ok"}});
               },
               .summary = "Liveness and database check",
               .tag = "system"});

  router_.Add({.method = "GET",
               .pattern = "/metrics",
               .access = http::Access::kPublic,
               .handler = [database, metrics, outbox,
                           mail](http::RequestContext& ctx) -> Result<http::HttpResponse> {
                 // Scraped from the same host; a reverse proxy must not forward it (see
                 // docs/operations.md). Route names and counts only, but still nobody else's.
                 const std::string& peer = ctx.request.remote_address;
                 if (peer != "127.0.0.1" && peer != "::1" && peer.rfind("::ffff:127.", 0) != 0) {
                   return PermissionDenied("metrics are served to the local host only");
                 }
                 http::HttpResponse response;
                 response.SetHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
                 response.body = metrics->Render(database->Stats());
                 auto counts = outbox->Counts();
                 response.body += RenderMailMetrics(mail, counts.ok() ? &*counts : nullptr);
                 return response;
               },
               .summary = "Prometheus metrics (local host only)",
               .tag = "system"});

  router_.Add({.method = "GET",
               .pattern = "/api/v1/meta",
               .access = http::Access::kPublic,
               .handler = [demo](http::RequestContext&) -> Result<http::HttpResponse> {
                 return http::JsonResponse(
                     json::object{{"name", "psea"}, {"version", kVersion}, {"demo", demo}});
               },
               .summary = "Server name, version and whether this is a demo database",
               .tag = "system"});

  router_.Add({.method = "GET",
               .pattern = "/api/v1/openapi.json",
               .access = http::Access::kPublic,
               .handler = [](http::RequestContext&) -> Result<http::HttpResponse> {
                 http::HttpResponse response;
                 response.SetHeader("Content-Type", "application/json; charset=utf-8");
                 response.body = OpenApiDocument();
                 return response;
               },
               .summary = "This API as an OpenAPI 3 document",
               .tag = "system"});

  accounts::CookieSettings cookies;
  cookies.max_age_seconds = config_.session_absolute_seconds;
  cookies.always_secure = config_.cookie_secure;
  accounts::RegisterAccountRoutes(router_, *accounts_, cookies);
  audit::RegisterAuditRoutes(router_, *database_, *audit_);
  units::RegisterUnitRoutes(router_, *units_, *accounts_);
  plan::RegisterPlanRoutes(router_, *plans_);
  intake::RegisterIntakeRoutes(router_, *intake_);
  cases::RegisterCaseFigureRoutes(router_, *cases_);
  cases::RegisterCaseRoutes(router_, *cases_);
  evidence::RegisterEvidenceRoutes(router_, *evidence_);
  providers::RegisterProviderRoutes(router_, *providers_);
  // Before the files' routes: /assistance/gaps is no file id.
  assistance::RegisterGapsRoutes(router_, *gaps_);
  assistance::RegisterAssistanceRoutes(router_, *assistance_);
  trustfund::RegisterTrustFundRoutes(router_, *trust_fund_);
  paternity::RegisterPaternityRoutes(router_, *paternity_);
  assistance::RegisterReferralRoutes(router_, *referrals_);
  intake::RegisterPublicPages(router_, *intake_, public_page_);
  retention::RegisterRetentionRoutes(router_, *retention_);
}

}  // namespace psea::app
