#include "security/permissions.h"

#include <algorithm>
#include <map>
#include <mutex>

namespace psea::security {

namespace {
struct RoleInfo {
  Role role;
  std::string_view name;
  bool requires_totp;
};

constexpr RoleInfo kRoles[] = {
    {Role::kAdmin, "admin", true},
    {Role::kCdtChief, "cdt_chief", true},
    {Role::kCdtOfficer, "cdt_officer", true},
    {Role::kIntakeOperator, "intake_operator", false},
    {Role::kVra, "vra", true},
    {Role::kInvestigator, "investigator", true},
    {Role::kCbcmFocalPoint, "cbcm_focal_point", false},
    {Role::kTrainingOfficer, "training_officer", false},
    {Role::kRiskOfficer, "risk_officer", false},
    {Role::kPartnerFocalPoint, "partner_focal_point", false},
    {Role::kLeadership, "leadership", false},
    {Role::kProviderCaseManager, "provider_case_manager", true},
};

const RoleInfo& InfoOf(Role role) {
  for (const auto& info : kRoles) {
    if (info.role == role) return info;
  }
  return kRoles[0];
}

std::mutex policies_mutex;
std::map<std::string, const RecordAccessPolicy*, std::less<>>& Policies() {
  static std::map<std::string, const RecordAccessPolicy*, std::less<>> policies;
  return policies;
}
}  // namespace

const std::vector<Role>& AllRoles() {
  static const std::vector<Role> roles = [] {
    std::vector<Role> out;
    for (const auto& info : kRoles) out.push_back(info.role);
    return out;
  }();
  return roles;
}

std::string_view RoleName(Role role) { return InfoOf(role).name; }

std::optional<Role> ParseRole(std::string_view name) {
  for (const auto& info : kRoles) {
    if (info.name == name) return info.role;
  }
  return std::nullopt;
}

bool RoleRequiresTotp(Role role) { return InfoOf(role).requires_totp; }

std::string_view PermissionName(Permission permission) {
  switch (permission) {
    case Permission::kUsersManage:
      return "users.manage";
    case Permission::kAuditRead:
      return "audit.read";
    case Permission::kTokensManage:
      return "tokens.manage";
    case Permission::kUnitsManage:
      return "units.manage";
    case Permission::kPlanRead:
      return "plan.read";
    case Permission::kPlanEdit:
      return "plan.edit";
    case Permission::kPlanImport:
      return "plan.import";
    case Permission::kPlanEntry:
      return "plan.entry";
    case Permission::kIntakeSubmit:
      return "intake.submit";
    case Permission::kIntakeQueue:
      return "intake.queue";
    case Permission::kIntakeReaders:
      return "intake.readers";
    case Permission::kIntakeVictims:
      return "intake.victims";
    case Permission::kIntakeFigures:
      return "intake.figures";
    case Permission::kCasesManage:
      return "cases.manage";
    case Permission::kCasesReaders:
      return "cases.readers";
    case Permission::kRetentionManage:
      return "retention.manage";
    case Permission::kRetentionHold:
      return "retention.hold";
    case Permission::kProvidersRead:
      return "providers.read";
    case Permission::kProvidersManage:
      return "providers.manage";
    case Permission::kProvidersMembers:
      return "providers.members";
    case Permission::kProvidersOwn:
      return "providers.own";
    case Permission::kTrustFundManage:
      return "trustfund.manage";
    case Permission::kTrustFundFigures:
      return "trustfund.figures";
  }
  return "unknown";
}

std::vector<Permission> PermissionsOf(Role role) {
  switch (role) {
    case Role::kAdmin:
      return {Permission::kUsersManage, Permission::kAuditRead, Permission::kTokensManage,
              Permission::kUnitsManage, Permission::kPlanRead,  Permission::kProvidersMembers};
    case Role::kCdtChief:
      return {Permission::kUnitsManage,     Permission::kPlanRead,
              Permission::kPlanEdit,        Permission::kPlanImport,
              Permission::kPlanEntry,       Permission::kIntakeSubmit,
              Permission::kIntakeQueue,     Permission::kIntakeReaders,
              Permission::kIntakeVictims,   Permission::kIntakeFigures,
              Permission::kCasesManage,     Permission::kCasesReaders,
              Permission::kRetentionManage, Permission::kRetentionHold,
              Permission::kProvidersRead,   Permission::kProvidersManage,
              Permission::kTrustFundManage, Permission::kTrustFundFigures};
    case Role::kCdtOfficer:
      return {Permission::kPlanRead,      Permission::kPlanEdit,     Permission::kPlanImport,
              Permission::kPlanEntry,     Permission::kIntakeSubmit, Permission::kIntakeQueue,
              Permission::kIntakeFigures, Permission::kCasesManage,  Permission::kRetentionHold,
              Permission::kProvidersRead};
    case Role::kIntakeOperator:
    case Role::kCbcmFocalPoint:
      return {Permission::kIntakeSubmit};
    // A partner focal point and the Victims' Rights Advocate (who leads activities of the
    // Remedial pillar) may add entries only where one of their units leads or supports: the
    // plan service checks that per activity.
    case Role::kPartnerFocalPoint:
      return {Permission::kPlanRead, Permission::kPlanEntry};
    case Role::kVra:
      return {Permission::kPlanRead,        Permission::kPlanEntry,
              Permission::kIntakeVictims,   Permission::kProvidersRead,
              Permission::kProvidersManage, Permission::kProvidersMembers,
              Permission::kTrustFundManage, Permission::kTrustFundFigures};
    // A case manager at a partner service provider sees the one provider entry their account
    // is linked to (providers module, membership managed by the VRA or an administrator).
    case Role::kProviderCaseManager:
      return {Permission::kProvidersOwn};
    case Role::kLeadership:
      return {Permission::kPlanRead, Permission::kIntakeFigures, Permission::kTrustFundFigures};
    case Role::kTrainingOfficer:
    case Role::kRiskOfficer:
      return {Permission::kPlanRead};
    default:
      return {};
  }
}

const std::vector<std::string>& AllTokenScopes() {
  static const std::vector<std::string> scopes = {"intake.sms", "intake.partner", "metrics.read"};
  return scopes;
}

bool IsKnownScope(std::string_view scope) {
  const auto& scopes = AllTokenScopes();
  return std::find(scopes.begin(), scopes.end(), scope) != scopes.end();
}

const std::vector<std::string>& AllSmsGatewayKinds() {
  static const std::vector<std::string> kinds = {"generic", "kannel",  "rapidpro", "africastalking",
                                                 "twilio",  "smssync", "android"};
  return kinds;
}

bool IsKnownSmsGatewayKind(std::string_view kind) {
  const auto& kinds = AllSmsGatewayKinds();
  return std::find(kinds.begin(), kinds.end(), kind) != kinds.end();
}

bool HasPermission(const Principal& principal, Permission permission) {
  if (principal.kind != Principal::Kind::kUser || principal.enrolment_required ||
      principal.password_change_required) {
    return false;
  }
  const auto granted = PermissionsOf(principal.role);
  return std::find(granted.begin(), granted.end(), permission) != granted.end();
}

Status Authorize(const Principal& principal, Permission permission) {
  if (HasPermission(principal, permission)) return Status::Ok();
  return PermissionDenied("your role may not do this");
}

Status AuthorizeScope(const Principal& principal, std::string_view scope) {
  if (principal.kind == Principal::Kind::kToken &&
      std::find(principal.scopes.begin(), principal.scopes.end(), scope) !=
          principal.scopes.end()) {
    return Status::Ok();
  }
  return PermissionDenied("this token may not do this");
}

Status RequireRecentProof(const Principal& principal, std::int64_t now_millis) {
  if (principal.kind == Principal::Kind::kUser && principal.verified_at > 0 &&
      now_millis >= principal.verified_at &&
      now_millis - principal.verified_at <= kReauthWindowMillis) {
    return Status::Ok();
  }
  return Status(ErrorCode::kReauthRequired,
                "enter a fresh code from your authenticator app to open identities");
}

void RegisterRecordAccessPolicy(std::string object_type, const RecordAccessPolicy* policy) {
  std::lock_guard lock(policies_mutex);
  Policies()[std::move(object_type)] = policy;
}

Status CheckRecordAccess(const Principal& principal, std::string_view object_type,
                         std::int64_t record_id) {
  const RecordAccessPolicy* policy = nullptr;
  {
    std::lock_guard lock(policies_mutex);
    auto found = Policies().find(object_type);
    if (found != Policies().end()) policy = found->second;
  }
  if (!policy) return NotFound("no such record");
  return policy->CanAccess(principal, record_id);
}

}  // namespace psea::security
