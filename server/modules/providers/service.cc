#include "modules/providers/service.h"

#include <boost/json.hpp>

namespace psea::providers {

namespace json = boost::json;
using security::Permission;
using security::Principal;
using storage::Connection;

namespace {
constexpr std::int64_t kDayMillis = 24LL * 60 * 60 * 1000;
constexpr std::string_view kContactsKind = "provider-contacts";

// The names of the fields a patch changes, for the audit (never the values: the contacts are
// personal data and the rest is in the entry).
std::string ChangedFields(const ProviderPatch& patch) {
  json::array names;
  const std::pair<bool, const char*> fields[] = {
      {patch.name.has_value(), "name"},
      {patch.kind.has_value(), "kind"},
      {patch.services.has_value(), "services"},
      {patch.prefecture.has_value(), "prefecture"},
      {patch.town.has_value(), "town"},
      {patch.coordinates.has_value(), "coordinates"},
      {patch.hours.has_value(), "hours"},
      {patch.languages.has_value(), "languages"},
      {patch.capacity.has_value(), "capacity"},
      {patch.cost.has_value(), "cost"},
      {patch.cost_note.has_value(), "cost_note"},
      {patch.public_phone.has_value(), "public_phone"},
      {patch.active.has_value(), "active"},
      {patch.last_verified.has_value(), "last_verified"},
      {patch.contacts.has_value(), "contacts"},
  };
  for (const auto& [changed, name] : fields) {
    if (changed) names.push_back(json::string(name));
  }
  return json::serialize(json::object{{"fields", std::move(names)}});
}
}  // namespace

ProvidersService::ProvidersService(storage::Database& database, const Clock& clock,
                                   const security::AuditLog& audit, const security::Vault& vault,
                                   const security::KeyRing& keyring, intake::IntakeService& intake,
                                   ProvidersSettings settings)
    : database_(database),
      clock_(clock),
      audit_(audit),
      vault_(vault),
      keyring_(keyring),
      intake_(intake),
      settings_(std::move(settings)) {}

UnixMillis ProvidersService::Today() const {
  const UnixMillis now = clock_.Now();
  return now - now % kDayMillis;
}

bool ProvidersService::IsStale(const Provider& provider) const {
  return providers::IsStale(provider.last_verified, clock_.Now(), settings_.stale_days);
}

Result<std::vector<PrefectureName>> ProvidersService::Prefectures() {
  ASSIGN_OR_RETURN(auto places, intake_.Places());
  std::vector<PrefectureName> out;
  for (const auto& prefecture : places->prefectures) {
    out.push_back({prefecture.code, prefecture.name});
  }
  return out;
}

Status ProvidersService::CheckPrefecture(const std::string& code) {
  if (code.empty()) return InvalidArgument("a provider needs its prefecture", "prefecture");
  ASSIGN_OR_RETURN(auto places, intake_.Places());
  for (const auto& prefecture : places->prefectures) {
    if (prefecture.code == code) return Status::Ok();
  }
  return Unprocessable("prefecture is not a prefecture code of the places list", "prefecture");
}

Status ProvidersService::Audit(Connection& c, const Principal& caller, std::int64_t id,
                               const std::string& action, const std::string& details,
                               const RequestInfo& info) const {
  security::AuditEvent event;
  event.actor_user_id = caller.user_id;
  event.actor = caller.username;
  event.action = action;
  event.object_type = "provider";
  event.object_id = std::to_string(id);
  event.request_id = info.request_id;
  event.details = details;
  return audit_.Append(c, event);
}

Result<Provider> ProvidersService::Readable(Connection& c, const Principal& caller,
                                            std::int64_t id) const {
  if (!security::HasPermission(caller, Permission::kProvidersRead)) {
    if (!security::HasPermission(caller, Permission::kProvidersOwn)) {
      return PermissionDenied("your role may not read the providers' directory");
    }
    ASSIGN_OR_RETURN(auto own, store_.ProviderOfUser(c, caller.user_id));
    if (!own || *own != id) return NotFound("no such provider");
  }
  ASSIGN_OR_RETURN(auto found, store_.Find(c, id));
  if (!found) return NotFound("no such provider");
  return std::move(*found);
}

Result<std::vector<Provider>> ProvidersService::List(const Principal& caller,
                                                     const ProviderFilter& filter) {
  const bool all = security::HasPermission(caller, Permission::kProvidersRead);
  if (!all) RETURN_IF_ERROR(security::Authorize(caller, Permission::kProvidersOwn));
  ASSIGN_OR_RETURN(auto lease, database_.Acquire());
  Connection& c = *lease;
  std::vector<Provider> providers;
  if (all) {
    ASSIGN_OR_RETURN(providers, store_.List(c));
  } else {
    ASSIGN_OR_RETURN(auto own, store_.ProviderOfUser(c, caller.user_id));
    if (own) {
      ASSIGN_OR_RETURN(auto found, store_.Find(c, *own));
      if (found) providers.push_back(std::move(*found));
    }
  }
  const UnixMillis now = clock_.Now();
  std::vector<Provider> out;
  for (auto& p : providers) {
    if (Matches(p, filter, now, settings_.stale_days)) out.push_back(std::move(p));
  }
  return out;
}

Result<Provider> ProvidersService::Get(const Principal& caller, std::int64_t id) {
  ASSIGN_OR_RETURN(auto lease, database_.Acquire());
  return Readable(*lease, caller, id);
}

Result<std::optional<std::int64_t>> ProvidersService::SealContacts(
    Connection& c, const ProviderContacts& contacts) const {
  if (contacts.empty()) return std::optional<std::int64_t>();
  ASSIGN_OR_RETURN(auto readers, readers_.Ids(c, intake::kVictimReaderScope));
  if (readers.empty()) {
    ASSIGN_OR_RETURN(bool recovery, vault_.HasRecoveryKey(c));
    if (!recovery) {
      return Unprocessable("nobody could read the contacts: designate a victims reader first",
                           "contacts");
    }
  }
  ASSIGN_OR_RETURN(std::int64_t item,
                   vault_.Seal(c, kContactsKind,
                               json::serialize(json::object{{"person", contacts.person},
                                                            {"phone", contacts.phone},
                                                            {"email", contacts.email}}),
                               readers));
  return std::optional<std::int64_t>(item);
}

Result<Provider> ProvidersService::Create(const Principal& caller, Provider provider,
                                          const std::optional<ProviderContacts>& contacts,
                                          const RequestInfo& info) {
  RETURN_IF_ERROR(security::Authorize(caller, Permission::kProvidersManage));
  const UnixMillis now = clock_.Now();
  if (provider.last_verified == 0) provider.last_verified = Today();
  RETURN_IF_ERROR(ValidateProvider(provider, now));
  RETURN_IF_ERROR(CheckPrefecture(provider.prefecture));
  provider.id = 0;
  provider.version = 1;
  provider.created_at = provider.updated_at = now;
  provider.updated_by = caller.username;
  RETURN_IF_ERROR(database_.WriteTransaction([&](Connection& c) -> Status {
    provider.contacts_item.reset();
    if (contacts) {
      ASSIGN_OR_RETURN(provider.contacts_item, SealContacts(c, *contacts));
    }
    ASSIGN_OR_RETURN(provider.id, store_.Insert(c, provider));
    return Audit(c, caller, provider.id, "providers.create",
                 json::serialize(json::object{{"name", provider.name},
                                              {"prefecture", provider.prefecture},
                                              {"contacts", provider.contacts_item.has_value()}}),
                 info);
  }));
  return provider;
}

Result<Provider> ProvidersService::Save(Connection& c, const Principal& caller, Provider changed,
                                        std::int64_t expected, VersionSource source,
                                        const std::string& action, const std::string& details,
                                        const RequestInfo& info) const {
  changed.updated_at = clock_.Now();
  changed.updated_by = caller.username;
  ASSIGN_OR_RETURN(bool saved, store_.Update(c, changed, expected));
  if (!saved) {
    if (source == VersionSource::kIfMatch) {
      return Status(ErrorCode::kPreconditionFailed,
                    "the provider changed since you read it: reload", "If-Match");
    }
    return Conflict("the provider changed since you read it: reload", "version");
  }
  RETURN_IF_ERROR(Audit(c, caller, changed.id, action, details, info));
  changed.version = expected + 1;
  return changed;
}

Result<Provider> ProvidersService::Update(const Principal& caller, std::int64_t id,
                                          const ProviderPatch& patch,
                                          std::optional<std::int64_t> expected,
                                          VersionSource source, const RequestInfo& info) {
  RETURN_IF_ERROR(security::Authorize(caller, Permission::kProvidersManage));
  if (patch.empty()) return InvalidArgument("change at least one field", "body");
  if (patch.prefecture) RETURN_IF_ERROR(CheckPrefecture(*patch.prefecture));
  Provider result;
  RETURN_IF_ERROR(database_.WriteTransaction([&](Connection& c) -> Status {
    ASSIGN_OR_RETURN(Provider current, Readable(c, caller, id));
    const std::int64_t version = expected.value_or(current.version);
    if (version != current.version) {
      if (source == VersionSource::kIfMatch) {
        return Status(ErrorCode::kPreconditionFailed,
                      "the provider changed since you read it: reload", "If-Match");
      }
      return Conflict("the provider changed since you read it: reload", "version");
    }
    Provider changed = current;
    ApplyPatch(changed, patch);
    RETURN_IF_ERROR(ValidateProvider(changed, clock_.Now()));
    if (patch.contacts) {
      ASSIGN_OR_RETURN(changed.contacts_item, SealContacts(c, *patch.contacts));
      if (current.contacts_item) {
        ASSIGN_OR_RETURN(auto deleted, vault_.DeleteItems(c, {*current.contacts_item}));
        (void)deleted;
      }
    }
    ASSIGN_OR_RETURN(result, Save(c, caller, std::move(changed), version, source,
                                  "providers.update", ChangedFields(patch), info));
    return Status::Ok();
  }));
  return result;
}

Result<Provider> ProvidersService::MarkVerified(const Principal& caller, std::int64_t id,
                                                std::optional<UnixMillis> day,
                                                const RequestInfo& info) {
  RETURN_IF_ERROR(security::Authorize(caller, Permission::kProvidersManage));
  const UnixMillis verified = day.value_or(Today());
  if (verified > clock_.Now()) {
    return Unprocessable("the verification date is in the future", "date");
  }
  Provider result;
  RETURN_IF_ERROR(database_.WriteTransaction([&](Connection& c) -> Status {
    ASSIGN_OR_RETURN(Provider current, Readable(c, caller, id));
    Provider changed = current;
    changed.last_verified = verified;
    ASSIGN_OR_RETURN(
        result, Save(c, caller, std::move(changed), current.version, VersionSource::kBody,
                     "providers.verify",
                     json::serialize(json::object{{"last_verified", FormatDay(verified)}}), info));
    return Status::Ok();
  }));
  return result;
}

Result<Provider> ProvidersService::Deactivate(const Principal& caller, std::int64_t id,
                                              const RequestInfo& info) {
  RETURN_IF_ERROR(security::Authorize(caller, Permission::kProvidersManage));
  Provider result;
  RETURN_IF_ERROR(database_.WriteTransaction([&](Connection& c) -> Status {
    ASSIGN_OR_RETURN(Provider current, Readable(c, caller, id));
    if (!current.active) {
      result = std::move(current);
      return Status::Ok();
    }
    Provider changed = current;
    changed.active = false;
    ASSIGN_OR_RETURN(result, Save(c, caller, std::move(changed), current.version,
                                  VersionSource::kBody, "providers.deactivate", "{}", info));
    return Status::Ok();
  }));
  return result;
}

Result<ProviderContacts> ProvidersService::OpenContacts(const Principal& caller, std::int64_t id,
                                                        const RequestInfo& info) {
  RETURN_IF_ERROR(security::Authorize(caller, Permission::kProvidersRead));
  ProviderContacts contacts;
  RETURN_IF_ERROR(database_.WriteTransaction([&](Connection& c) -> Status {
    ASSIGN_OR_RETURN(Provider provider, Readable(c, caller, id));
    ASSIGN_OR_RETURN(bool reader, readers_.IsReader(c, intake::kVictimReaderScope, caller.user_id));
    if (!reader) return PermissionDenied("only the victims readers open providers' contacts");
    if (!provider.contacts_item) return Status::Ok();
    auto key = keyring_.Get(caller.session_id);
    if (!key) return PermissionDenied("unlock your vault (sign in again) to open the contacts");
    ASSIGN_OR_RETURN(std::string plain, vault_.Open(c, *provider.contacts_item, *key));
    auto parsed = json::parse(plain);
    const auto& object = parsed.as_object();
    contacts.person = json::value_to<std::string>(object.at("person"));
    contacts.phone = json::value_to<std::string>(object.at("phone"));
    contacts.email = json::value_to<std::string>(object.at("email"));
    return Audit(c, caller, id, "providers.contacts.open", "{}", info);
  }));
  return contacts;
}

Result<std::vector<Member>> ProvidersService::Members(const Principal& caller, std::int64_t id) {
  RETURN_IF_ERROR(security::Authorize(caller, Permission::kProvidersMembers));
  std::vector<Member> members;
  {
    ASSIGN_OR_RETURN(auto lease, database_.Acquire());
    ASSIGN_OR_RETURN(auto found, store_.Find(*lease, id));
    if (!found) return NotFound("no such provider");
    ASSIGN_OR_RETURN(members, store_.Members(*lease, id));
  }
  if (settings_.staff) {
    ASSIGN_OR_RETURN(auto staff, settings_.staff());
    for (auto& member : members) {
      for (const auto& person : staff) {
        if (person.id == member.user_id) {
          member.username = person.username;
          member.display_name = person.display_name;
        }
      }
    }
  }
  return members;
}

Result<std::vector<Member>> ProvidersService::Unlinked(const Principal& caller) {
  RETURN_IF_ERROR(security::Authorize(caller, Permission::kProvidersMembers));
  std::vector<Member> out;
  if (!settings_.staff) return out;
  ASSIGN_OR_RETURN(auto staff, settings_.staff());
  ASSIGN_OR_RETURN(auto lease, database_.Acquire());
  for (const auto& person : staff) {
    if (person.disabled || person.role != security::Role::kProviderCaseManager) continue;
    ASSIGN_OR_RETURN(auto linked, store_.ProviderOfUser(*lease, person.id));
    if (linked) continue;
    Member m;
    m.user_id = person.id;
    m.username = person.username;
    m.display_name = person.display_name;
    out.push_back(std::move(m));
  }
  return out;
}

Status ProvidersService::AddMember(const Principal& caller, std::int64_t id, std::int64_t user_id,
                                   const RequestInfo& info) {
  RETURN_IF_ERROR(security::Authorize(caller, Permission::kProvidersMembers));
  if (!settings_.staff) return Unprocessable("no staff directory", "user_id");
  ASSIGN_OR_RETURN(auto staff, settings_.staff());
  const intake::StaffMember* member = nullptr;
  for (const auto& person : staff) {
    if (person.id == user_id) member = &person;
  }
  if (!member || member->disabled || member->role != security::Role::kProviderCaseManager) {
    return Unprocessable("only an active provider case manager's account is linked", "user_id");
  }
  const std::string username = member->username;
  return database_.WriteTransaction([&](Connection& c) -> Status {
    ASSIGN_OR_RETURN(auto found, store_.Find(c, id));
    if (!found) return NotFound("no such provider");
    RETURN_IF_ERROR(
        store_.PutMember(c, Member{user_id, id, "", "", caller.username, clock_.Now()}));
    return Audit(c, caller, id, "providers.members.add",
                 json::serialize(json::object{{"user_id", user_id}, {"username", username}}), info);
  });
}

Status ProvidersService::RemoveMember(const Principal& caller, std::int64_t id,
                                      std::int64_t user_id, const RequestInfo& info) {
  RETURN_IF_ERROR(security::Authorize(caller, Permission::kProvidersMembers));
  return database_.WriteTransaction([&](Connection& c) -> Status {
    ASSIGN_OR_RETURN(bool removed, store_.DeleteMember(c, id, user_id));
    if (!removed) return NotFound("the user is no member of this provider");
    return Audit(c, caller, id, "providers.members.remove",
                 json::serialize(json::object{{"user_id", user_id}}), info);
  });
}

Result<std::optional<ProviderSummary>> ProvidersService::FindProvider(Connection& c,
                                                                      std::int64_t id) const {
  ASSIGN_OR_RETURN(auto found, store_.Find(c, id));
  if (!found) return std::optional<ProviderSummary>();
  return std::optional<ProviderSummary>(
      ProviderSummary{found->id, found->name, found->prefecture, found->services, found->active});
}

Result<std::optional<std::int64_t>> ProvidersService::ProviderOfUser(Connection& c,
                                                                     std::int64_t user_id) const {
  return store_.ProviderOfUser(c, user_id);
}

Result<std::vector<ServiceCount>> ProvidersService::CountByPrefectureAndService(
    Connection& c) const {
  // IsStale: more than stale_days whole days, i.e. at least stale_days + 1 days ago.
  constexpr std::int64_t kDayMillis = 24LL * 60 * 60 * 1000;
  return store_.CountByPrefectureAndService(
      c, clock_.Now() - (static_cast<std::int64_t>(settings_.stale_days) + 1) * kDayMillis);
}

Result<std::vector<std::int64_t>> ProvidersService::ContactItems(Connection& c) const {
  return store_.ContactItems(c);
}

}  // namespace psea::providers
