// The application context: opens the database, runs the migrations, builds every service and
// the one route table. main.cc and the command-line tools create exactly one of these.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "app/alerts.h"
#include "core/clock.h"
#include "core/config.h"
#include "core/result.h"
#include "http/metrics.h"
#include "http/router.h"
#include "http/static_files.h"
#include "modules/accounts/handlers.h"
#include "modules/accounts/service.h"
#include "modules/assistance/gaps_service.h"
#include "modules/assistance/referrals.h"
#include "modules/assistance/service.h"
#include "modules/cases/service.h"
#include "modules/evidence/service.h"
#include "modules/intake/handlers.h"
#include "modules/intake/service.h"
#include "modules/paternity/service.h"
#include "modules/plan/indicators.h"
#include "modules/plan/service.h"
#include "modules/providers/service.h"
#include "modules/retention/service.h"
#include "modules/trustfund/service.h"
#include "modules/units/service.h"
#include "security/audit.h"
#include "security/keyring.h"
#include "security/vault.h"
#include "storage/database.h"
#include "storage/migrations.h"

namespace psea::app {

// Every migration of every component, in the order they apply.
std::vector<storage::Migration> AllMigrations();

// The OpenAPI document (docs/openapi.json, embedded at build time).
const std::string& OpenApiDocument();

class Application {
 public:
  // Opens the database and migrates it. With config.demo, an empty database is created as a
  // demo database; kUnprocessable when config.demo names an existing non-demo database.
  static Result<std::unique_ptr<Application>> Open(const Config& config);
  ~Application();

  // Serves HTTP until SIGINT/SIGTERM. Writes config.port_file once listening. Reads the public
  // page's catalogs first: kNotFound or kInvalidArgument (naming the file and line) when one
  // is missing or malformed, and nothing is served.
  Status Serve();

  // Reads the catalogs of config.public_languages (see LoadReportCatalogs) for the public
  // pages and logs what they lack or have in excess. Serve calls it; before it, the pages
  // show their keys.
  Status LoadPublicCatalogs();

  bool demo() const { return demo_; }
  bool created() const { return created_; }
  storage::Database& database() { return *database_; }
  const security::AuditLog& audit() const { return *audit_; }
  const security::Vault& vault() const { return *vault_; }
  accounts::AccountsService& accounts() { return *accounts_; }
  units::UnitsService& units() { return *units_; }
  plan::PlanService& plans() { return *plans_; }
  intake::IntakeService& intake() { return *intake_; }
  cases::CasesService& cases() { return *cases_; }
  evidence::EvidenceService& evidence() { return *evidence_; }
  providers::ProvidersService& providers() { return *providers_; }
  assistance::AssistanceService& assistance() { return *assistance_; }
  trustfund::TrustFundService& trust_fund() { return *trust_fund_; }
  paternity::PaternityService& paternity() { return *paternity_; }
  assistance::ReferralsService& referrals() { return *referrals_; }
  retention::RetentionService& retention() { return *retention_; }
  plan::IndicatorRegistry& indicators() { return indicators_; }
  const http::Router& router() const { return router_; }
  // The alert mail queue and its addresses; null when --alert-email-to is not set.
  MailQueue* mail() { return mail_.get(); }
  // The mail outbox (always there: `psea mail` reads it without --alert-email-to).
  mail::MailOutbox& outbox() { return *outbox_; }
  const std::vector<std::string>& mail_to() const { return mail_to_; }
  const Config& config() const { return config_; }

  // Builds the route table (also used by tests that walk it).
  void RegisterRoutes();

 private:
  Application() = default;

  Config config_;
  bool demo_ = false;
  bool created_ = false;
  std::unique_ptr<storage::Database> database_;
  const Clock* clock_ = &SystemClock::Instance();
  // E-mail (alerts, the audit anchor) when --alert-email-to is set; declared before the
  // services that queue into it, so that it outlives them, and after the outbox it writes to.
  std::unique_ptr<mail::MailOutbox> outbox_;
  std::unique_ptr<MailQueue> mail_;
  std::vector<std::string> mail_to_;
  std::unique_ptr<AnchorMailer> anchor_mailer_;
  std::unique_ptr<security::AuditLog> audit_;
  std::unique_ptr<security::Vault> vault_;
  security::KeyRing keyring_;
  std::unique_ptr<accounts::AccountsService> accounts_;
  std::unique_ptr<units::UnitsService> units_;
  plan::IndicatorRegistry indicators_;
  std::unique_ptr<plan::PlanService> plans_;
  std::unique_ptr<intake::IntakeService> intake_;
  std::unique_ptr<cases::CasesService> cases_;
  std::unique_ptr<evidence::EvidenceService> evidence_;
  std::unique_ptr<providers::ProvidersService> providers_;
  std::unique_ptr<assistance::AssistanceService> assistance_;
  std::unique_ptr<assistance::GapsService> gaps_;
  std::unique_ptr<trustfund::TrustFundService> trust_fund_;
  std::unique_ptr<paternity::PaternityService> paternity_;
  std::unique_ptr<assistance::ReferralsService> referrals_;
  std::unique_ptr<retention::RetentionService> retention_;
  intake::PublicPageSettings public_page_;
  http::Router router_;
  http::Metrics metrics_;
};

}  // namespace psea::app
