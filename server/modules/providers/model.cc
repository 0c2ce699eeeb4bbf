#include "modules/providers/model.h"

#include <algorithm>
#include <cctype>
#include <cmath>

namespace psea::providers {

bool IsOneOf(const std::vector<std::string_view>& vocabulary, std::string_view value) {
  return std::find(vocabulary.begin(), vocabulary.end(), value) != vocabulary.end();
}

std::optional<std::int64_t> DegreesToE6(double degrees) {
  if (!std::isfinite(degrees) || std::fabs(degrees) > 1000) return std::nullopt;
  return static_cast<std::int64_t>(std::llround(degrees * 1'000'000.0));
}

bool ProviderPatch::empty() const {
  return !name && !kind && !prefecture && !town && !hours && !capacity && !cost && !cost_note &&
         !public_phone && !services && !languages && !coordinates && !active && !last_verified &&
         !contacts;
}

void ApplyPatch(Provider& p, const ProviderPatch& patch) {
  if (patch.name) p.name = *patch.name;
  if (patch.kind) p.kind = *patch.kind;
  if (patch.prefecture) p.prefecture = *patch.prefecture;
  if (patch.town) p.town = *patch.town;
  if (patch.hours) p.hours = *patch.hours;
  if (patch.capacity) p.capacity = *patch.capacity;
  if (patch.cost) p.cost = *patch.cost;
  if (patch.cost_note) p.cost_note = *patch.cost_note;
  if (patch.public_phone) p.public_phone = *patch.public_phone;
  if (patch.services) p.services = *patch.services;
  if (patch.languages) p.languages = *patch.languages;
  if (patch.coordinates) p.coordinates = *patch.coordinates;
  if (patch.active) p.active = *patch.active;
  if (patch.last_verified) p.last_verified = *patch.last_verified;
}

Result<UnixMillis> ParseDay(std::string_view text, std::string_view field) {
  if (text.size() != 10) return InvalidArgument("a date YYYY-MM-DD", std::string(field));
  auto day = ParseIso8601(text);
  if (!day) return InvalidArgument("a date YYYY-MM-DD", std::string(field));
  return *day;
}

std::string FormatDay(UnixMillis day) { return FormatIso8601(day).substr(0, 10); }

Status ValidateProvider(Provider& p, UnixMillis now) {
  if (p.name.empty()) return InvalidArgument("a provider needs a name", "name");
  if (!IsOneOf(kProviderKinds, p.kind)) return InvalidArgument("unknown kind", "kind");
  if (p.services.empty()) return InvalidArgument("name at least one service", "services");
  for (const auto& service : p.services) {
    if (!IsOneOf(kServices, service)) return InvalidArgument("unknown service", "services");
  }
  std::vector<std::string> sorted;
  for (auto name : kServices) {
    const auto count = std::count(p.services.begin(), p.services.end(), name);
    if (count > 1) return InvalidArgument("a service is named twice", "services");
    if (count == 1) sorted.emplace_back(name);
  }
  p.services = std::move(sorted);
  if (!IsOneOf(kCosts, p.cost)) return InvalidArgument("unknown cost", "cost");
  if (p.coordinates) {
    const auto& c = *p.coordinates;
    if (c.lat_e6 < kMinLatE6 || c.lat_e6 > kMaxLatE6) {
      return Unprocessable("the latitude is outside the Central African Republic", "lat");
    }
    if (c.lon_e6 < kMinLonE6 || c.lon_e6 > kMaxLonE6) {
      return Unprocessable("the longitude is outside the Central African Republic", "lon");
    }
  }
  if (p.last_verified > now) {
    return Unprocessable("the verification date is in the future", "last_verified");
  }
  return Status::Ok();
}

bool IsStale(UnixMillis last_verified, UnixMillis now, int stale_days) {
  constexpr std::int64_t kDayMillis = 24LL * 60 * 60 * 1000;
  return (now - last_verified) / kDayMillis > stale_days;
}

namespace {
std::string Lower(std::string_view text) {
  std::string out(text);
  for (char& ch : out) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  return out;
}
}  // namespace

bool Matches(const Provider& p, const ProviderFilter& f, UnixMillis now, int stale_days) {
  if (f.service &&
      std::find(p.services.begin(), p.services.end(), *f.service) == p.services.end()) {
    return false;
  }
  if (f.prefecture && p.prefecture != *f.prefecture) return false;
  if (f.kind && p.kind != *f.kind) return false;
  if (f.active && p.active != *f.active) return false;
  if (f.stale && IsStale(p.last_verified, now, stale_days) != *f.stale) return false;
  if (f.q && !f.q->empty()) {
    const std::string needle = Lower(*f.q);
    if (Lower(p.name).find(needle) == std::string::npos &&
        Lower(p.town).find(needle) == std::string::npos) {
      return false;
    }
  }
  return true;
}

}  // namespace psea::providers
