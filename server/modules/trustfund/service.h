// The Trust Fund in Support of Victims: the rules (who may do what, validation, versions,
// audit) over TrustFundStore. HTTP in handlers.cc; CSV and XLSX in export.cc.
//
// Who (security/permissions.h):
//  - trustfund.manage (the VRA, the CDT chief): projects, their beneficiaries' counts, the
//    transfers, the exports;
//  - trustfund.figures (also leadership): the aggregates only (GetFigures).
// A transfer may name the case whose subject's pay was withheld. Only a caller who may see
// that case (CasesService need-to-know, through TrustFundLinks::case_reference) sees the link;
// linking needs the same. Beneficiaries are counts: no name, no identity is ever stored here.
// Every change is audited (objects "trustfund_project", "trustfund_transfer"); each call is
// one transaction.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/result.h"
#include "modules/trustfund/model.h"
#include "modules/trustfund/store.h"
#include "security/audit.h"
#include "security/permissions.h"
#include "storage/database.h"
#include "storage/migrations.h"

namespace psea::trustfund {

struct RequestInfo {
  std::string remote_address;
  std::string request_id;
};

// What the Trust Fund asks of other modules; app.cc fills these from the providers, cases and
// intake services. An empty function answers "no" (no such provider, case or prefecture).
struct TrustFundLinks {
  // The providers' directory entry's name; nullopt when there is no such entry. Runs on the
  // caller's connection, inside its transaction.
  std::function<Result<std::optional<std::string>>(storage::Connection&, std::int64_t)>
      provider_name;
  // The case's reference when `caller` may see the case; nullopt when they may not or there is
  // no such case. Runs outside any transaction.
  std::function<Result<std::optional<std::string>>(const security::Principal&, std::int64_t)>
      case_reference;
  // Whether the code is a prefecture of the places list.
  std::function<Result<bool>(const std::string&)> is_prefecture;
};

// Where a change's expected version came from: If-Match (a mismatch is 412) or the body (409).
enum class VersionSource { kBody, kIfMatch };

struct ProjectView {
  Project project;
  std::vector<Beneficiaries> beneficiaries;
};

struct TransferView {
  Transfer transfer;
  // The link as the caller may see it: case_id and its reference, or nothing.
  std::optional<std::int64_t> case_id;
  std::string case_reference;
};

class TrustFundService {
 public:
  TrustFundService(storage::Database& database, const Clock& clock, const security::AuditLog& audit,
                   TrustFundLinks links);

  static std::vector<storage::Migration> Migrations() { return TrustFundStore::Migrations(); }

  // trustfund.manage for everything below but GetFigures.
  Result<std::vector<ProjectView>> ListProjects(const security::Principal& caller);
  // kNotFound when there is no such project.
  Result<ProjectView> GetProject(const security::Principal& caller, std::int64_t id);
  // Validation as model.h ValidateProject, plus kUnprocessable naming "prefectures" (not a
  // prefecture of the places list) or "provider_id" (no such entry). A linked provider's name
  // is the partner when none is given.
  Result<ProjectView> CreateProject(const security::Principal& caller, Project project,
                                    const RequestInfo& info);
  // `expected` nullopt (If-Match: *) checks nothing; a stale version is kPreconditionFailed
  // naming "If-Match" (kIfMatch) or kConflict naming "version" (kBody). An empty patch is
  // kInvalidArgument naming "body". A project whose periods of beneficiaries would fall
  // outside its new dates is kUnprocessable naming "start_day" or "end_day".
  Result<ProjectView> UpdateProject(const security::Principal& caller, std::int64_t id,
                                    const ProjectPatch& patch, std::optional<std::int64_t> expected,
                                    VersionSource source, const RequestInfo& info);
  // Records (or replaces: same project and period start) one period's counts; bumps the
  // project's version, checked as UpdateProject does.
  Result<ProjectView> PutBeneficiaries(const security::Principal& caller, std::int64_t project_id,
                                       Beneficiaries entry, std::optional<std::int64_t> expected,
                                       VersionSource source, const RequestInfo& info);
  // kNotFound when the project has no such period.
  Result<ProjectView> DeleteBeneficiaries(const security::Principal& caller,
                                          std::int64_t project_id, std::int64_t entry_id,
                                          const RequestInfo& info);

  Result<std::vector<TransferView>> ListTransfers(const security::Principal& caller);
  Result<TransferView> GetTransfer(const security::Principal& caller, std::int64_t id);
  // Validation as model.h ValidateTransfer, plus kUnprocessable naming "case_id" when the
  // caller may not see that case (or there is none).
  Result<TransferView> CreateTransfer(const security::Principal& caller, Transfer transfer,
                                      const RequestInfo& info);
  Result<TransferView> UpdateTransfer(const security::Principal& caller, std::int64_t id,
                                      const TransferPatch& patch,
                                      std::optional<std::int64_t> expected, VersionSource source,
                                      const RequestInfo& info);

  // trustfund.figures: sums by year and currency, beneficiaries by year and in all.
  Result<Figures> GetFigures(const security::Principal& caller);

  // The export's rows (trustfund.manage), audited "trustfund.export" with `what`.
  Result<std::vector<ProjectView>> ExportProjects(const security::Principal& caller,
                                                  const std::string& format,
                                                  const RequestInfo& info);
  Result<std::vector<TransferView>> ExportTransfers(const security::Principal& caller,
                                                    const std::string& format,
                                                    const RequestInfo& info);

  // The action plan's computed indicator (app.cc registers it): people reached by Trust Fund
  // projects in beneficiary periods starting within the months "YYYY-MM" from..to.
  static constexpr std::string_view kIndicatorBeneficiaries = "trustfund.beneficiaries";
  Result<double> IndicatorValue(storage::Connection& c, const std::string& from_month,
                                const std::string& to_month) const;

  // CasesService purge hook: a purged case's transfers lose their link, the amounts stay.
  Result<std::int64_t> PurgeCase(storage::Connection& c, std::int64_t case_id) const;

 private:
  Status CheckPrefectures(const std::vector<std::string>& codes) const;
  Status CheckCase(const security::Principal& caller, const std::optional<std::int64_t>& case_id,
                   std::optional<std::int64_t> unchanged) const;
  Result<ProjectView> LoadProject(storage::Connection& c, std::int64_t id) const;
  TransferView ViewOf(const security::Principal& caller, Transfer transfer) const;
  Status Audit(storage::Connection& c, const security::Principal& caller,
               const std::string& object_type, std::int64_t id, const std::string& action,
               const std::string& details, const RequestInfo& info) const;
  UnixMillis Today() const;

  storage::Database& database_;
  const Clock& clock_;
  const security::AuditLog& audit_;
  TrustFundLinks links_;
  TrustFundStore store_;
};

}  // namespace psea::trustfund
