// Roles, permissions and the one authorisation call every handler makes. Deny by default:
// a permission no role lists is granted to nobody.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace psea::security {

enum class Role {
  kAdmin,
  kCdtChief,
  kCdtOfficer,
  kIntakeOperator,
  kVra,
  kInvestigator,
  kCbcmFocalPoint,
  kTrainingOfficer,
  kRiskOfficer,
  kPartnerFocalPoint,
  kLeadership,
  kProviderCaseManager,  // a case manager at a partner service provider: their own entry
};

const std::vector<Role>& AllRoles();
std::string_view RoleName(Role role);
std::optional<Role> ParseRole(std::string_view name);
// Roles that reach identifying data must use a second factor.
bool RoleRequiresTotp(Role role);

enum class Permission {
  kUsersManage,
  kAuditRead,
  kTokensManage,
  kUnitsManage,
  kPlanRead,
  kPlanEdit,
  kPlanImport,
  kPlanEntry,
  kIntakeSubmit,     // enter complaints (hotline, walk-in, CBCM); see their own
  kIntakeQueue,      // see every complaint's clear half and work the queue
  kIntakeReaders,    // name the officers who read identities
  kIntakeVictims,    // see the victim part of complaints that reach the Victims' Rights Advocate
  kIntakeFigures,    // complaint figures (aggregates)
  kRetentionManage,  // set retention policies, preview the purge, lift legal holds
  kRetentionHold,    // see legal holds and place one
  kCasesManage,      // open allegation cases from complaints and work the cases one may see
  kCasesReaders,     // name the officers who read every case
  // The service providers' directory (issue 13): read it, manage it, link case managers'
  // accounts to a provider, and a provider case manager's own entry.
  kProvidersRead,
  kProvidersManage,
  kProvidersMembers,
  kProvidersOwn,
  // The Trust Fund in Support of Victims (issue 13): its projects and the amounts withheld
  // and transferred to it, and the aggregates alone.
  kTrustFundManage,
  kTrustFundFigures,
};
std::string_view PermissionName(Permission permission);
std::vector<Permission> PermissionsOf(Role role);

// Scopes an API token may carry. A token acts for no person: it can do what its scopes say.
const std::vector<std::string>& AllTokenScopes();
bool IsKnownScope(std::string_view scope);
// The SMS gateway kinds a token with scope intake.sms is made for: "generic" (signs with
// X-Psea-Signature), "kannel", "rapidpro", "africastalking", "twilio", "smssync", "android".
// The kind decides the request shape, the authentication and the answer the intake gives.
const std::vector<std::string>& AllSmsGatewayKinds();
bool IsKnownSmsGatewayKind(std::string_view kind);

// Who is calling: a signed-in user or an API token.
struct Principal {
  enum class Kind { kUser, kToken };
  Kind kind = Kind::kUser;
  std::int64_t user_id = 0;  // the user, or the token's creator
  std::string username;      // for logs and audit; "token:<id>" for tokens
  Role role = Role::kLeadership;
  std::int64_t session_id = 0;  // kUser with a cookie session
  std::int64_t token_id = 0;    // kToken
  std::vector<std::string> scopes;
  std::string sms_gateway;          // kToken with scope intake.sms: one of AllSmsGatewayKinds()
  bool enrolment_required = false;  // must enrol 2FA before anything else
  bool password_change_required = false;  // must replace a password someone else chose
  std::int64_t session_expires_at = 0;    // UnixMillis; kUser with a cookie session
  // UnixMillis of the last proof of presence in this session (sign-in, or a fresh 2FA code
  // given to POST /auth/reauth or with a step-up); 0 for none.
  std::int64_t verified_at = 0;
};

// Opening identities needs a proof of presence at most this old, so that a stolen session
// cookie alone opens nothing ("sudo mode").
constexpr std::int64_t kReauthWindowMillis = 15 * 60 * 1000;
// kReauthRequired unless the principal is a user who proved presence within the window.
Status RequireRecentProof(const Principal& principal, std::int64_t now_millis);

// What a dangerous action (a role change, another user's password or 2FA reset, a change of
// readers) carries besides the session: the actor's password and a fresh TOTP code.
struct StepUpProof {
  std::string password;
  std::string totp_code;
};
// Checks a proof for the principal; throttled like sign-in. kInvalidCredentials (field
// current_password), kTotpRequired or kTotpInvalid (field totp_code). The accounts module
// provides it; app.cc hands it to the modules that need it.
using StepUpVerifier =
    std::function<Status(const Principal& principal, const StepUpProof& proof,
                         const std::string& remote_address, const std::string& request_id)>;

// Role permissions now; per-record need-to-know rules are added by the modules that own the
// records, through RecordAccessPolicy below.
bool HasPermission(const Principal& principal, Permission permission);
// kPermissionDenied when the principal lacks `permission`.
Status Authorize(const Principal& principal, Permission permission);
// kPermissionDenied unless the principal is a token carrying `scope`.
Status AuthorizeScope(const Principal& principal, std::string_view scope);

// The hook for need-to-know: a module registers a policy for its record type, and handlers
// call CheckRecordAccess before showing a record. No policy registered means no access.
class RecordAccessPolicy {
 public:
  virtual ~RecordAccessPolicy() = default;
  // OK, or kNotFound (the caller may not even know the record exists).
  virtual Status CanAccess(const Principal& principal, std::int64_t record_id) const = 0;
};
void RegisterRecordAccessPolicy(std::string object_type, const RecordAccessPolicy* policy);
Status CheckRecordAccess(const Principal& principal, std::string_view object_type,
                         std::int64_t record_id);

}  // namespace psea::security
