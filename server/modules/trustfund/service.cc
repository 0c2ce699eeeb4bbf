#include "modules/trustfund/service.h"

#include <boost/json.hpp>
#include <map>

namespace psea::trustfund {

namespace json = boost::json;
using security::Permission;
using security::Principal;
using storage::Connection;

namespace {
constexpr std::int64_t kDayMillis = 24LL * 60 * 60 * 1000;

Status StaleVersion(VersionSource source, const std::string& what) {
  const std::string message = "the " + what + " changed since you read it: reload";
  if (source == VersionSource::kIfMatch) {
    return Status(ErrorCode::kPreconditionFailed, message, "If-Match");
  }
  return Conflict(message, "version");
}

// The names of the fields a patch changes, for the audit.
std::string FieldsJson(std::initializer_list<std::pair<bool, const char*>> fields) {
  json::array names;
  for (const auto& [changed, name] : fields) {
    if (changed) names.push_back(json::string(name));
  }
  return json::serialize(json::object{{"fields", std::move(names)}});
}

void AddSum(std::map<std::pair<int, std::string>, Sum>& sums, int year, const std::string& currency,
            std::int64_t amount) {
  auto& sum = sums[{year, currency}];
  sum.year = year;
  sum.currency = currency;
  sum.amount_minor += amount;
  ++sum.count;
}

std::vector<Sum> SumsOf(const std::map<std::pair<int, std::string>, Sum>& sums) {
  std::vector<Sum> out;
  for (const auto& [key, sum] : sums) out.push_back(sum);
  return out;
}
}  // namespace

TrustFundService::TrustFundService(storage::Database& database, const Clock& clock,
                                   const security::AuditLog& audit, TrustFundLinks links)
    : database_(database), clock_(clock), audit_(audit), links_(std::move(links)) {}

UnixMillis TrustFundService::Today() const {
  const UnixMillis now = clock_.Now();
  return now - now % kDayMillis;
}

Status TrustFundService::Audit(Connection& c, const Principal& caller,
                               const std::string& object_type, std::int64_t id,
                               const std::string& action, const std::string& details,
                               const RequestInfo& info) const {
  security::AuditEvent event;
  event.actor_user_id = caller.user_id;
  event.actor = caller.username;
  event.action = action;
  event.object_type = object_type;
  event.object_id = std::to_string(id);
  event.request_id = info.request_id;
  event.details = details;
  return audit_.Append(c, event);
}

Status TrustFundService::CheckPrefectures(const std::vector<std::string>& codes) const {
  for (const auto& code : codes) {
    bool known = false;
    if (links_.is_prefecture) {
      ASSIGN_OR_RETURN(known, links_.is_prefecture(code));
    }
    if (!known) {
      return Unprocessable(code + " is not a prefecture code of the places list", "prefectures");
    }
  }
  return Status::Ok();
}

Status TrustFundService::CheckCase(const Principal& caller,
                                   const std::optional<std::int64_t>& case_id,
                                   std::optional<std::int64_t> unchanged) const {
  if (!case_id || case_id == unchanged) return Status::Ok();
  std::optional<std::string> reference;
  if (links_.case_reference) {
    ASSIGN_OR_RETURN(reference, links_.case_reference(caller, *case_id));
  }
  if (!reference) {
    return Unprocessable("no case " + std::to_string(*case_id) + " that you see", "case_id");
  }
  return Status::Ok();
}

TransferView TrustFundService::ViewOf(const Principal& caller, Transfer transfer) const {
  TransferView view;
  if (transfer.case_id && links_.case_reference) {
    auto reference = links_.case_reference(caller, *transfer.case_id);
    if (reference.ok() && reference->has_value()) {
      view.case_id = transfer.case_id;
      view.case_reference = **reference;
    }
  }
  view.transfer = std::move(transfer);
  return view;
}

Result<ProjectView> TrustFundService::LoadProject(Connection& c, std::int64_t id) const {
  ASSIGN_OR_RETURN(auto found, store_.FindProject(c, id));
  if (!found) return NotFound("no such project");
  ProjectView view;
  view.project = std::move(*found);
  ASSIGN_OR_RETURN(view.beneficiaries, store_.ListBeneficiaries(c, id));
  return view;
}

Result<std::vector<ProjectView>> TrustFundService::ListProjects(const Principal& caller) {
  RETURN_IF_ERROR(security::Authorize(caller, Permission::kTrustFundManage));
  std::vector<ProjectView> out;
  RETURN_IF_ERROR(database_.ReadTransaction([&](Connection& c) -> Status {
    ASSIGN_OR_RETURN(auto projects, store_.ListProjects(c));
    ASSIGN_OR_RETURN(auto periods, store_.ListBeneficiaries(c, std::nullopt));
    std::map<std::int64_t, std::size_t> index;
    for (auto& project : projects) {
      index[project.id] = out.size();
      out.push_back(ProjectView{std::move(project), {}});
    }
    for (auto& period : periods) {
      auto found = index.find(period.project_id);
      if (found != index.end()) out[found->second].beneficiaries.push_back(std::move(period));
    }
    return Status::Ok();
  }));
  return out;
}

Result<ProjectView> TrustFundService::GetProject(const Principal& caller, std::int64_t id) {
  RETURN_IF_ERROR(security::Authorize(caller, Permission::kTrustFundManage));
  ProjectView view;
  RETURN_IF_ERROR(database_.ReadTransaction([&](Connection& c) -> Status {
    ASSIGN_OR_RETURN(view, LoadProject(c, id));
    return Status::Ok();
  }));
  return view;
}

Result<ProjectView> TrustFundService::CreateProject(const Principal& caller, Project project,
                                                    const RequestInfo& info) {
  RETURN_IF_ERROR(security::Authorize(caller, Permission::kTrustFundManage));
  const bool partner_from_provider = project.partner.empty() && project.provider_id;
  if (partner_from_provider) project.partner = "-";  // filled from the directory below
  RETURN_IF_ERROR(ValidateProject(project));
  RETURN_IF_ERROR(CheckPrefectures(project.prefectures));
  const UnixMillis now = clock_.Now();
  project.id = 0;
  project.version = 1;
  project.created_at = project.updated_at = now;
  project.updated_by = caller.username;
  ProjectView view;
  RETURN_IF_ERROR(database_.WriteTransaction([&](Connection& c) -> Status {
    if (project.provider_id) {
      std::optional<std::string> name;
      if (links_.provider_name) {
        ASSIGN_OR_RETURN(name, links_.provider_name(c, *project.provider_id));
      }
      if (!name) return Unprocessable("no such provider in the directory", "provider_id");
      if (partner_from_provider) project.partner = *name;
    }
    ASSIGN_OR_RETURN(project.id, store_.InsertProject(c, project));
    RETURN_IF_ERROR(Audit(c, caller, "trustfund_project", project.id, "trustfund.project.create",
                          json::serialize(json::object{{"title", project.title},
                                                       {"amount_minor", project.amount_minor},
                                                       {"currency", project.currency}}),
                          info));
    view.project = project;
    return Status::Ok();
  }));
  return view;
}

Result<ProjectView> TrustFundService::UpdateProject(const Principal& caller, std::int64_t id,
                                                    const ProjectPatch& patch,
                                                    std::optional<std::int64_t> expected,
                                                    VersionSource source, const RequestInfo& info) {
  RETURN_IF_ERROR(security::Authorize(caller, Permission::kTrustFundManage));
  if (patch.empty()) return InvalidArgument("change at least one field", "body");
  if (patch.prefectures) RETURN_IF_ERROR(CheckPrefectures(*patch.prefectures));
  ProjectView view;
  RETURN_IF_ERROR(database_.WriteTransaction([&](Connection& c) -> Status {
    ASSIGN_OR_RETURN(ProjectView current, LoadProject(c, id));
    const std::int64_t version = expected.value_or(current.project.version);
    if (version != current.project.version) return StaleVersion(source, "project");
    Project changed = current.project;
    ApplyPatch(changed, patch);
    RETURN_IF_ERROR(ValidateProject(changed));
    if (patch.provider_id && *patch.provider_id) {
      std::optional<std::string> name;
      if (links_.provider_name) {
        ASSIGN_OR_RETURN(name, links_.provider_name(c, **patch.provider_id));
      }
      if (!name) return Unprocessable("no such provider in the directory", "provider_id");
    }
    for (const auto& period : current.beneficiaries) {
      if (period.period_start > changed.end_day) {
        return Unprocessable("a period of beneficiaries starts after this end", "end_day");
      }
      if (period.period_end < changed.start_day) {
        return Unprocessable("a period of beneficiaries ends before this start", "start_day");
      }
    }
    changed.updated_at = clock_.Now();
    changed.updated_by = caller.username;
    ASSIGN_OR_RETURN(bool saved, store_.UpdateProject(c, changed, version));
    if (!saved) return StaleVersion(source, "project");
    changed.version = version + 1;
    RETURN_IF_ERROR(Audit(c, caller, "trustfund_project", id, "trustfund.project.update",
                          FieldsJson({{patch.title.has_value(), "title"},
                                      {patch.partner.has_value(), "partner"},
                                      {patch.provider_id.has_value(), "provider_id"},
                                      {patch.amount_minor.has_value(), "amount_minor"},
                                      {patch.currency.has_value(), "currency"},
                                      {patch.start_day.has_value(), "start_day"},
                                      {patch.end_day.has_value(), "end_day"},
                                      {patch.prefectures.has_value(), "prefectures"},
                                      {patch.services.has_value(), "services"},
                                      {patch.status.has_value(), "status"},
                                      {patch.notes.has_value(), "notes"}}),
                          info));
    view.project = std::move(changed);
    view.beneficiaries = std::move(current.beneficiaries);
    return Status::Ok();
  }));
  return view;
}

Result<ProjectView> TrustFundService::PutBeneficiaries(const Principal& caller,
                                                       std::int64_t project_id, Beneficiaries entry,
                                                       std::optional<std::int64_t> expected,
                                                       VersionSource source,
                                                       const RequestInfo& info) {
  RETURN_IF_ERROR(security::Authorize(caller, Permission::kTrustFundManage));
  ProjectView view;
  RETURN_IF_ERROR(database_.WriteTransaction([&](Connection& c) -> Status {
    ASSIGN_OR_RETURN(ProjectView current, LoadProject(c, project_id));
    const std::int64_t version = expected.value_or(current.project.version);
    if (version != current.project.version) return StaleVersion(source, "project");
    RETURN_IF_ERROR(ValidateBeneficiaries(entry, current.project));
    entry.project_id = project_id;
    entry.recorded_at = clock_.Now();
    entry.recorded_by = caller.username;
    RETURN_IF_ERROR(store_.PutBeneficiaries(c, entry));
    ASSIGN_OR_RETURN(bool touched, store_.TouchProject(c, project_id, version, entry.recorded_at,
                                                       caller.username));
    if (!touched) return StaleVersion(source, "project");
    RETURN_IF_ERROR(
        Audit(c, caller, "trustfund_project", project_id, "trustfund.beneficiaries.put",
              json::serialize(json::object{{"period_start", FormatDay(entry.period_start)},
                                           {"period_end", FormatDay(entry.period_end)},
                                           {"total", entry.Total()}}),
              info));
    ASSIGN_OR_RETURN(view, LoadProject(c, project_id));
    return Status::Ok();
  }));
  return view;
}

Result<ProjectView> TrustFundService::DeleteBeneficiaries(const Principal& caller,
                                                          std::int64_t project_id,
                                                          std::int64_t entry_id,
                                                          const RequestInfo& info) {
  RETURN_IF_ERROR(security::Authorize(caller, Permission::kTrustFundManage));
  ProjectView view;
  RETURN_IF_ERROR(database_.WriteTransaction([&](Connection& c) -> Status {
    ASSIGN_OR_RETURN(ProjectView current, LoadProject(c, project_id));
    ASSIGN_OR_RETURN(bool deleted, store_.DeleteBeneficiaries(c, project_id, entry_id));
    if (!deleted) return NotFound("the project has no such period");
    ASSIGN_OR_RETURN(bool touched, store_.TouchProject(c, project_id, current.project.version,
                                                       clock_.Now(), caller.username));
    if (!touched) return StaleVersion(VersionSource::kBody, "project");
    RETURN_IF_ERROR(Audit(c, caller, "trustfund_project", project_id,
                          "trustfund.beneficiaries.delete",
                          json::serialize(json::object{{"entry_id", entry_id}}), info));
    ASSIGN_OR_RETURN(view, LoadProject(c, project_id));
    return Status::Ok();
  }));
  return view;
}

Result<std::vector<TransferView>> TrustFundService::ListTransfers(const Principal& caller) {
  RETURN_IF_ERROR(security::Authorize(caller, Permission::kTrustFundManage));
  std::vector<Transfer> transfers;
  RETURN_IF_ERROR(database_.ReadTransaction([&](Connection& c) -> Status {
    ASSIGN_OR_RETURN(transfers, store_.ListTransfers(c));
    return Status::Ok();
  }));
  // The case links are resolved after the read: the cases service runs its own transaction.
  std::vector<TransferView> out;
  out.reserve(transfers.size());
  for (auto& transfer : transfers) out.push_back(ViewOf(caller, std::move(transfer)));
  return out;
}

Result<TransferView> TrustFundService::GetTransfer(const Principal& caller, std::int64_t id) {
  RETURN_IF_ERROR(security::Authorize(caller, Permission::kTrustFundManage));
  std::optional<Transfer> found;
  RETURN_IF_ERROR(database_.ReadTransaction([&](Connection& c) -> Status {
    ASSIGN_OR_RETURN(found, store_.FindTransfer(c, id));
    return Status::Ok();
  }));
  if (!found) return NotFound("no such transfer");
  return ViewOf(caller, std::move(*found));
}

Result<TransferView> TrustFundService::CreateTransfer(const Principal& caller, Transfer transfer,
                                                      const RequestInfo& info) {
  RETURN_IF_ERROR(security::Authorize(caller, Permission::kTrustFundManage));
  RETURN_IF_ERROR(ValidateTransfer(transfer, Today()));
  RETURN_IF_ERROR(CheckCase(caller, transfer.case_id, std::nullopt));
  const UnixMillis now = clock_.Now();
  transfer.id = 0;
  transfer.version = 1;
  transfer.created_at = transfer.updated_at = now;
  transfer.updated_by = caller.username;
  RETURN_IF_ERROR(database_.WriteTransaction([&](Connection& c) -> Status {
    ASSIGN_OR_RETURN(transfer.id, store_.InsertTransfer(c, transfer));
    return Audit(c, caller, "trustfund_transfer", transfer.id, "trustfund.transfer.create",
                 json::serialize(json::object{{"amount_minor", transfer.amount_minor},
                                              {"currency", transfer.currency},
                                              {"case_linked", transfer.case_id.has_value()}}),
                 info);
  }));
  return ViewOf(caller, std::move(transfer));
}

Result<TransferView> TrustFundService::UpdateTransfer(const Principal& caller, std::int64_t id,
                                                      const TransferPatch& patch,
                                                      std::optional<std::int64_t> expected,
                                                      VersionSource source,
                                                      const RequestInfo& info) {
  RETURN_IF_ERROR(security::Authorize(caller, Permission::kTrustFundManage));
  if (patch.empty()) return InvalidArgument("change at least one field", "body");
  if (patch.case_id) RETURN_IF_ERROR(CheckCase(caller, *patch.case_id, std::nullopt));
  Transfer changed;
  RETURN_IF_ERROR(database_.WriteTransaction([&](Connection& c) -> Status {
    ASSIGN_OR_RETURN(auto current, store_.FindTransfer(c, id));
    if (!current) return NotFound("no such transfer");
    const std::int64_t version = expected.value_or(current->version);
    if (version != current->version) return StaleVersion(source, "transfer");
    changed = *current;
    ApplyPatch(changed, patch);
    RETURN_IF_ERROR(ValidateTransfer(changed, Today()));
    changed.updated_at = clock_.Now();
    changed.updated_by = caller.username;
    ASSIGN_OR_RETURN(bool saved, store_.UpdateTransfer(c, changed, version));
    if (!saved) return StaleVersion(source, "transfer");
    changed.version = version + 1;
    return Audit(c, caller, "trustfund_transfer", id, "trustfund.transfer.update",
                 FieldsJson({{patch.transfer_day.has_value(), "transfer_day"},
                             {patch.amount_minor.has_value(), "amount_minor"},
                             {patch.currency.has_value(), "currency"},
                             {patch.contributor.has_value(), "contributor"},
                             {patch.case_id.has_value(), "case_id"},
                             {patch.reference.has_value(), "reference"},
                             {patch.notes.has_value(), "notes"}}),
                 info);
  }));
  return ViewOf(caller, std::move(changed));
}

Result<Figures> TrustFundService::GetFigures(const Principal& caller) {
  if (!security::HasPermission(caller, Permission::kTrustFundManage)) {
    RETURN_IF_ERROR(security::Authorize(caller, Permission::kTrustFundFigures));
  }
  Figures figures;
  RETURN_IF_ERROR(database_.ReadTransaction([&](Connection& c) -> Status {
    ASSIGN_OR_RETURN(auto projects, store_.ListProjects(c));
    ASSIGN_OR_RETURN(auto transfers, store_.ListTransfers(c));
    ASSIGN_OR_RETURN(auto periods, store_.ListBeneficiaries(c, std::nullopt));
    std::map<std::pair<int, std::string>, Sum> funded, transferred;
    for (const auto& p : projects) {
      if (p.status == "cancelled") continue;
      ++figures.projects;
      if (p.status == "active") ++figures.active_projects;
      AddSum(funded, YearOfDay(p.start_day), p.currency, p.amount_minor);
    }
    for (const auto& t : transfers) {
      AddSum(transferred, YearOfDay(t.transfer_day), t.currency, t.amount_minor);
    }
    figures.funded = SumsOf(funded);
    figures.transferred = SumsOf(transferred);
    AddBeneficiaries(figures, periods);
    return Status::Ok();
  }));
  return figures;
}

Result<std::vector<ProjectView>> TrustFundService::ExportProjects(const Principal& caller,
                                                                  const std::string& format,
                                                                  const RequestInfo& info) {
  ASSIGN_OR_RETURN(auto projects, ListProjects(caller));
  RETURN_IF_ERROR(database_.WriteTransaction([&](Connection& c) -> Status {
    return Audit(c, caller, "trustfund_project", 0, "trustfund.export",
                 json::serialize(json::object{{"what", "projects"}, {"format", format}}), info);
  }));
  return projects;
}

Result<std::vector<TransferView>> TrustFundService::ExportTransfers(const Principal& caller,
                                                                    const std::string& format,
                                                                    const RequestInfo& info) {
  ASSIGN_OR_RETURN(auto transfers, ListTransfers(caller));
  RETURN_IF_ERROR(database_.WriteTransaction([&](Connection& c) -> Status {
    return Audit(c, caller, "trustfund_transfer", 0, "trustfund.export",
                 json::serialize(json::object{{"what", "transfers"}, {"format", format}}), info);
  }));
  return transfers;
}

Result<double> TrustFundService::IndicatorValue(Connection& c, const std::string& from_month,
                                                const std::string& to_month) const {
  auto from = ParseIso8601(from_month + "-01");
  auto to_start = ParseIso8601(to_month + "-01");
  if (!from || !to_start || to_month.size() != 7) {
    return InvalidArgument("a month YYYY-MM", "period");
  }
  // The last day of the `to` month: the first of the next month, less a day.
  const int year = std::stoi(to_month.substr(0, 4));
  const int month = std::stoi(to_month.substr(5, 2));
  const int next_year = month == 12 ? year + 1 : year;
  const int next_month = month == 12 ? 1 : month + 1;
  auto after = ParseIso8601(std::to_string(next_year) + (next_month < 10 ? "-0" : "-") +
                            std::to_string(next_month) + "-01");
  if (!after) return InvalidArgument("a month YYYY-MM", "period");
  ASSIGN_OR_RETURN(std::int64_t reached,
                   store_.BeneficiariesStartingIn(c, *from, *after - kDayMillis));
  return static_cast<double>(reached);
}

Result<std::int64_t> TrustFundService::PurgeCase(Connection& c, std::int64_t case_id) const {
  return store_.UnlinkCase(c, case_id);
}

}  // namespace psea::trustfund
