// Referrals of victims to service providers, the service tracking table, the provider case
// manager's portal and the referrals' figures (issue 13). The rules live here; SQL in
// ReferralsStore; HTTP in referrals_handlers.cc. Files, needs and consents are read through
// the assistance module's own store and AssistanceService::ConsentFor; providers only through
// providers::ProvidersService (FindProvider, ProviderOfUser).
//
// Who sees what (anyone else gets kNotFound, as if the referral did not exist):
//  - the Victims' Rights Advocate (role vra): every referral; she refers, changes any field,
//    reads and exports the tracking table (file references, never identities);
//  - a file's designees: the file's referrals, read only;
//  - a provider case manager (role provider_case_manager, linked to a provider): the
//    referrals to their provider and, of the victim, the file reference, the need, the dates
//    and whether a consent lets the provider receive information or contact the victim. They
//    record progress: accepted, in_progress (with the service start date), completed,
//    refused_by_provider, the outcome, notes and follow-up dates. Reading a referral that is
//    not their provider's is kNotFound and audited (referral.access.refused).
// A referral needs a valid consent of scope "referral" covering the provider at the time of
// the referral (kUnprocessable naming "consent"), except an emergency medical referral, which
// requires and records a justification. Every change is one transaction, audited (object
// "referral"); changes carry the version read (If-Match: 412; the body's version: 409).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "core/result.h"
#include "modules/assistance/referrals_model.h"
#include "modules/assistance/referrals_store.h"
#include "modules/assistance/service.h"
#include "modules/assistance/store.h"
#include "modules/providers/service.h"
#include "security/audit.h"
#include "security/permissions.h"
#include "storage/database.h"

namespace psea::assistance {

// Times are "YYYY-MM-DDTHH:MM:SSZ" or a date (midnight UTC).
struct NewReferral {
  std::int64_t need_id = 0;
  std::int64_t provider_id = 0;
  std::string service;      // empty: the need's type
  std::string referred_at;  // empty: now
  bool emergency = false;
  std::string justification;
  std::string next_follow_up_at;  // empty: none
  std::string notes;
};

// Each field present replaces the stored one; "" clears a date.
struct ReferralPatch {
  std::optional<std::string> status;
  std::optional<std::string> service_started_at;
  std::optional<std::string> outcome;
  std::optional<std::string> notes;
  std::optional<std::string> last_follow_up_at;
  std::optional<std::string> next_follow_up_at;
  bool empty() const {
    return !status && !service_started_at && !outcome && !notes && !last_follow_up_at &&
           !next_follow_up_at;
  }
};

// A referral as the caller may see it.
struct ReferralView {
  Referral referral;
  std::string file_reference;
  std::string need_type;
  std::string urgency;
  bool overdue = false;
  bool can_update = false;
  // For the provider's case manager: what the victim's consents let the provider have.
  bool information_shared = false;  // an information_sharing consent covers the provider
  bool contact_allowed = false;     // a contact consent covers now
  std::string contact_channel;      // the channel it names ("" any)
};

struct TrackingPage {
  std::vector<TrackingRow> rows;
  std::int64_t total = 0;
};

struct ProviderPage {
  std::vector<ReferralView> referrals;
  std::int64_t total = 0;
};

class ReferralsService {
 public:
  ReferralsService(storage::Database& database, const Clock& clock, const security::AuditLog& audit,
                   AssistanceService& assistance, providers::ProvidersService& providers);

  static std::vector<storage::Migration> Migrations() { return ReferralsStore::Migrations(); }

  // A VRA. kInvalidArgument naming the field (malformed time, service outside the
  // vocabulary, text too long); kUnprocessable naming need_id (no open need of the file),
  // provider_id (no such provider, or inactive), service (not in the provider's list),
  // consent (no valid referral consent for the provider), emergency (not a medical need),
  // justification (an emergency without one), referred_at / next_follow_up_at (out of order,
  // in the future); kConflict naming status when the file is closed.
  Result<ReferralView> Refer(const security::Principal& caller, std::int64_t file_id,
                             const NewReferral& request, const RequestInfo& info);
  // A VRA, or the case manager of the referral's provider (kPermissionDenied naming status for
  // a status outside kProviderStatuses). kUnprocessable naming status for a move CanMove
  // refuses, service_started_at when moving to in_progress or completed without one, or the
  // date out of order (CheckReferralDates). An empty patch is kInvalidArgument.
  Result<ReferralView> Update(const security::Principal& caller, std::int64_t id,
                              const ReferralPatch& patch, std::optional<std::int64_t> version,
                              VersionSource source, const RequestInfo& info);
  // kNotFound for a referral the caller may not see; a provider case manager's refusal is
  // audited.
  Result<ReferralView> Get(const security::Principal& caller, std::int64_t id,
                           const RequestInfo& info);
  // The identity shared with a case manager of the referral's provider, through the file's
  // designees (AssistanceService::Designate: the VRA's key grants theirs; removing the designee
  // revokes it). A VRA; kUnprocessable naming consent unless an information_sharing consent
  // naming the provider covers now, user_id unless the user is a provider case manager of the
  // referral's provider. Audited (referral.identity.share, and the designation).
  Result<ReferralView> ShareIdentity(const security::Principal& caller, std::int64_t id,
                                     std::int64_t user, const RequestInfo& info);
  // A VRA or a designee of the file.
  Result<std::vector<ReferralView>> OfFile(const security::Principal& caller, std::int64_t file_id);

  // A VRA. kInvalidArgument naming status or service outside their vocabularies.
  Result<TrackingPage> Tracking(const security::Principal& caller, const TrackingFilter& filter);
  // The whole filtered table (at most 100,000 rows) for an export; audited
  // (referrals.tracking.export).
  Result<std::vector<TrackingRow>> TrackingExport(const security::Principal& caller,
                                                  TrackingFilter filter, std::string_view format,
                                                  const RequestInfo& info);
  // A provider case manager linked to a provider (kPermissionDenied otherwise): theirs.
  Result<ProviderPage> ForProvider(const security::Principal& caller, const TrackingFilter& filter);

  // A VRA or the CDT chief: the figures of the files opened and the referrals made in
  // [from, to).
  Result<ReferralFigures> Figures(const security::Principal& caller, UnixMillis from,
                                  UnixMillis to);

  // The action plan's computed indicators (app.cc registers them).
  static constexpr std::string_view kIndicatorReferredWithin24h = "assistance.referred_within_24h";
  static constexpr std::string_view kIndicatorReferredWithin72h = "assistance.referred_within_72h";
  static constexpr std::string_view kIndicatorMedianDaysToService =
      "assistance.median_days_to_service";
  // Generated records for benchmarks (referrals_generator.cc): `providers` providers through
  // ProvidersService (each offering 1 to 3 services), `files` files without identity, each with
  // a referral consent, 2 to 4 needs and about referrals / files referrals (a need's older ones
  // ended; about one active referral in six overdue), over three years. In chunks of 250 files.
  struct GenerateRequest {
    int files = 0;
    int providers = 0;
    int referrals = 0;
  };
  struct Generated {
    std::int64_t providers = 0, files = 0, needs = 0, referrals = 0;
  };
  Result<Generated> Generate(const GenerateRequest& request,
                             const std::vector<std::string>& prefectures);

  // Months "YYYY-MM", both included. kNotFound for another indicator; 0 when nothing counts.
  Result<double> IndicatorValue(storage::Connection& c, std::string_view indicator,
                                const std::string& from_month, const std::string& to_month) const;

 private:
  enum class Access { kNone, kRead, kProvider, kWork };
  Result<Access> AccessOf(storage::Connection& c, const security::Principal& caller,
                          const Referral& referral) const;
  // `known`: the need's facts the provider's list read already.
  Result<ReferralView> ViewOf(storage::Connection& c, Referral referral, Access access,
                              const ProviderReferralRow* known = nullptr) const;
  Status Audit(storage::Connection& c, const security::Principal& caller, std::int64_t id,
               const std::string& action, const RequestInfo& info,
               const std::string& details) const;
  Result<UnixMillis> ParseTime(const std::string& text, const std::string& field) const;

  storage::Database& database_;
  const Clock& clock_;
  const security::AuditLog& audit_;
  AssistanceService& assistance_;
  providers::ProvidersService& providers_;
  AssistanceStore files_;
  ReferralsStore store_;
};

// Figures to CSV and XLSX: the tracking table without identities (file references only).
std::string TrackingCsv(const std::vector<TrackingRow>& rows);
// kInternal when libxlsxwriter fails.
Result<std::string> TrackingXlsx(const std::vector<TrackingRow>& rows);

}  // namespace psea::assistance
