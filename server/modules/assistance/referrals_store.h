// SQL for the referrals (assistance_referrals) and the service tracking table. Every method runs
// on the caller's connection, inside the caller's transaction. The tracking table and the
// provider's list read the providers' names by a join on the providers table (one query per
// page, for the benchmark of issue 13); nothing here writes another module's tables.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/result.h"
#include "modules/assistance/referrals_model.h"
#include "storage/database.h"
#include "storage/migrations.h"

namespace psea::assistance {

// The tracking table's filters; every one given must match.
struct TrackingFilter {
  std::optional<std::string> status;   // a referral status, or "not_referred"
  std::optional<std::string> service;  // the referral's service, else the need's type
  std::optional<std::int64_t> provider_id;
  std::optional<std::string> prefecture;  // the file's
  std::optional<bool> overdue;
  std::optional<UnixMillis> referred_from;  // referred_at >= (inclusive)
  std::optional<UnixMillis> referred_to;    // referred_at < (exclusive: the day after)
  std::int64_t limit = 50;
  std::int64_t offset = 0;
};

// One row: a need of a file and its current referral (none yet: referral_id nullopt). No
// identity: the file's reference only.
struct TrackingRow {
  std::int64_t file_id = 0;
  std::string file_reference;
  std::string prefecture;
  std::int64_t need_id = 0;
  std::string need_type;
  std::string urgency;
  std::string need_status;
  std::optional<std::int64_t> referral_id;
  std::string service;
  std::optional<std::int64_t> provider_id;
  std::string provider_name;
  std::string status;  // "" when not referred
  std::optional<UnixMillis> referred_at;
  std::optional<UnixMillis> service_started_at;
  std::optional<UnixMillis> last_follow_up_at;
  std::optional<UnixMillis> next_follow_up_at;
  bool emergency = false;
  bool overdue = false;
};

// A provider case manager's row: the referral and the few clear facts of its file.
struct ProviderReferralRow {
  Referral referral;
  std::string file_reference;
  std::string need_type;
  std::string urgency;
  bool overdue = false;
};

class ReferralsStore {
 public:
  // Component "referrals": after "assistance" and "providers" (their tables are referenced).
  static std::vector<storage::Migration> Migrations();

  // Stores it as its need's current referral (the need's older ones stop being current).
  Result<std::int64_t> Insert(storage::Connection& c, const Referral& referral) const;
  // Writes the changeable fields where the version is still `expected` (then version + 1).
  // False when another change came first.
  Result<bool> Update(storage::Connection& c, const Referral& referral,
                      std::int64_t expected) const;
  Result<std::optional<Referral>> Find(storage::Connection& c, std::int64_t id) const;
  // Oldest first.
  Result<std::vector<Referral>> OfFile(storage::Connection& c, std::int64_t file_id) const;

  // One query: the page and the total (`total`), overdue first, then by next follow-up.
  Result<std::vector<TrackingRow>> Tracking(storage::Connection& c, const TrackingFilter& filter,
                                            UnixMillis now, std::int64_t& total) const;
  // The referrals to one provider (the same filters but prefecture), overdue first, newest.
  Result<std::vector<ProviderReferralRow>> OfProvider(storage::Connection& c,
                                                      std::int64_t provider_id,
                                                      const TrackingFilter& filter, UnixMillis now,
                                                      std::int64_t& total) const;

  // For the figures: the files opened in [from, to) with their first referral; the referrals
  // made in [from, to) whose service started.
  Result<std::vector<FirstReferral>> FirstReferrals(storage::Connection& c, UnixMillis from,
                                                    UnixMillis to) const;
  Result<std::vector<ServiceStart>> ServiceStarts(storage::Connection& c, UnixMillis from,
                                                  UnixMillis to) const;
};

}  // namespace psea::assistance
