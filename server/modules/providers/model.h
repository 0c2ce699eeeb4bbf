// The service providers' directory (issue 13, "map existing services"): health facilities,
// psychosocial and legal aid organisations, shelters and UN agencies' programmes to which the
// Victims' Rights Advocate refers victims, with the services they offer, where they are and
// when the entry was last checked. Pure types and rules: no SQL, no HTTP.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "core/result.h"

namespace psea::providers {

// Closed vocabularies. kServices is shared with the assistance module's needs.
inline const std::vector<std::string_view> kProviderKinds = {
    "health_facility", "psychosocial", "legal_aid", "shelter", "un_agency", "other"};
inline const std::vector<std::string_view> kServices = {
    "safety_protection", "medical",    "psychosocial",   "legal",
    "education",         "livelihood", "basic_material", "child_support"};
inline const std::vector<std::string_view> kCosts = {"free", "subsidised", "paid"};
bool IsOneOf(const std::vector<std::string_view>& vocabulary, std::string_view value);

// An entry not verified for this many days is "stale" (--provider-stale-days).
inline constexpr int kDefaultStaleDays = 180;

// Coordinates in millionths of a degree (the storage keeps integers). Plausible means inside
// the Central African Republic's bounding box (2.2..11.0 N, 14.4..27.5 E) with a margin of
// about half a degree, so that a swapped latitude and longitude or a sign error is refused.
struct Coordinates {
  std::int64_t lat_e6 = 0;
  std::int64_t lon_e6 = 0;
  bool operator==(const Coordinates&) const = default;
};
inline constexpr std::int64_t kMinLatE6 = 1'700'000;
inline constexpr std::int64_t kMaxLatE6 = 11'500'000;
inline constexpr std::int64_t kMinLonE6 = 13'900'000;
inline constexpr std::int64_t kMaxLonE6 = 28'000'000;
// Degrees (as JSON numbers carry them) to millionths, rounded; nullopt for NaN or infinity.
std::optional<std::int64_t> DegreesToE6(double degrees);

// Named persons' contacts: personal data, sealed in the vault for the victims readers.
struct ProviderContacts {
  std::string person;
  std::string phone;
  std::string email;
  bool empty() const { return person.empty() && phone.empty() && email.empty(); }
};

struct Provider {
  std::int64_t id = 0;
  std::string name;
  std::string kind;                   // kProviderKinds
  std::vector<std::string> services;  // kServices, sorted in vocabulary order, no repeats
  std::string prefecture;             // a prefecture code of the places list
  std::string town;
  std::optional<Coordinates> coordinates;
  std::string hours;
  std::vector<std::string> languages;
  std::string capacity;
  std::string cost;  // kCosts
  std::string cost_note;
  std::string public_phone;  // the organisation's switchboard or hotline: not a person's
  bool active = true;
  UnixMillis last_verified = 0;               // midnight UTC of the day it was last checked
  std::optional<std::int64_t> contacts_item;  // vault item of the sealed ProviderContacts
  std::int64_t version = 1;
  UnixMillis created_at = 0;
  UnixMillis updated_at = 0;
  std::string updated_by;  // user name
};

// A change: each field present replaces the stored one. `contacts` present replaces the
// sealed contacts whole (empty contacts remove them).
struct ProviderPatch {
  std::optional<std::string> name, kind, prefecture, town, hours, capacity, cost, cost_note,
      public_phone;
  std::optional<std::vector<std::string>> services, languages;
  // Present with nullopt inside: remove the coordinates.
  std::optional<std::optional<Coordinates>> coordinates;
  std::optional<bool> active;
  std::optional<UnixMillis> last_verified;  // midnight UTC
  std::optional<ProviderContacts> contacts;
  bool empty() const;
};
void ApplyPatch(Provider& provider, const ProviderPatch& patch);

// Checks a provider's fields (not the prefecture, which the places list decides):
// kInvalidArgument naming the field for an empty name, a kind, service or cost outside its
// vocabulary, no service or a repeated one; kUnprocessable naming "lat" or "lon" for
// coordinates outside the box, "last_verified" for a day after `now`. Sorts the services
// into vocabulary order.
Status ValidateProvider(Provider& provider, UnixMillis now);

// "YYYY-MM-DD" to midnight UTC; kInvalidArgument naming `field` otherwise.
Result<UnixMillis> ParseDay(std::string_view text, std::string_view field);
std::string FormatDay(UnixMillis day);

// Stale when the last verification is more than `stale_days` whole days before `now`.
bool IsStale(UnixMillis last_verified, UnixMillis now, int stale_days);

// The directory's filters; every one given must match.
struct ProviderFilter {
  std::optional<std::string> service, prefecture, kind;
  std::optional<bool> stale;     // true: only stale entries; false: only fresh ones
  std::optional<bool> active;    // absent: both
  std::optional<std::string> q;  // in the name or the town, case-insensitive (ASCII)
};
bool Matches(const Provider& provider, const ProviderFilter& filter, UnixMillis now,
             int stale_days);

// What the assistance module needs of a provider (ProvidersService::FindProvider).
struct ProviderSummary {
  std::int64_t id = 0;
  std::string name;
  std::string prefecture;
  std::vector<std::string> services;
  bool active = true;
};

// One cell of the gap table: active providers offering `service` in `prefecture`, and how
// many of them are stale (IsStale with the service's stale days).
struct ServiceCount {
  std::string prefecture;
  std::string service;
  std::int64_t providers = 0;
  std::int64_t stale = 0;
};

// A provider case manager's account and the provider it belongs to.
struct Member {
  std::int64_t user_id = 0;
  std::int64_t provider_id = 0;
  std::string username;  // filled by the service from the staff directory
  std::string display_name;
  std::string added_by;
  UnixMillis added_at = 0;
};

}  // namespace psea::providers
