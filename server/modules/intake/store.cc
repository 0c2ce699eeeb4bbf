#include "modules/intake/store.h"

#include <boost/json.hpp>

#include <algorithm>
#include <map>
#include <tuple>
#include <utility>

namespace psea::intake {

namespace json = boost::json;
using storage::Connection;

namespace {

constexpr const char* kColumns =
    "id, channel, status, received_at, entered_by, entered_by_username, partner_token_id, "
    "reporter_relation, anonymous, contact_consent, contact_method, language, prefecture, "
    "sub_prefecture, town, incident_date_precision, incident_date, victims, perpetrators, "
    "risk_child, risk_danger, risk_medical, urgent, acknowledged_at, acknowledged_by, "
    "assigned_to, assigned_to_username, duplicate_of, sealed_item, "
    "updated_at, cbcm_name, site, is_sea, sea_category, sea_type, perpetrator_affiliation, "
    "perpetrator_identified, assessed_by, assessed_by_username, assessed_at, route, routing, "
    "routed_at, (SELECT COUNT(*) FROM intake_messages m WHERE m.complaint_id = "
    "intake_complaints.id), (SELECT COUNT(*) FROM intake_messages m WHERE m.complaint_id = "
    "intake_complaints.id AND m.from_reporter = 1 AND m.read_at IS NULL)";

std::string VictimsJson(const std::vector<VictimFacts>& victims) {
  json::array out;
  for (const auto& v : victims) {
    json::object item{
        {"age_group", v.age_group}, {"sex", v.sex}, {"referral_consent", v.referral_consent}};
    item["age"] = v.age ? json::value(*v.age) : json::value(nullptr);
    out.push_back(std::move(item));
  }
  return json::serialize(out);
}

std::string PerpetratorsJson(const std::vector<PerpetratorFacts>& perpetrators) {
  json::array out;
  for (const auto& p : perpetrators) {
    out.push_back(json::object{{"category", p.category},
                               {"nationality", p.nationality},
                               {"unit", p.unit},
                               {"rank", p.rank},
                               {"identified", p.identified}});
  }
  return json::serialize(out);
}

// "2026-11": the UTC month of a time (the figures count by it).
std::string MonthOf(UnixMillis at) { return FormatIso8601(at).substr(0, 7); }

std::string StringAt(const json::object& object, std::string_view key) {
  auto found = object.find(key);
  if (found == object.end() || !found->value().is_string()) return "";
  return std::string(found->value().as_string());
}

std::vector<VictimFacts> ParseVictims(const std::string& text) {
  std::vector<VictimFacts> out;
  boost::system::error_code ec;
  auto value = json::parse(text, ec);
  if (ec || !value.is_array()) return out;
  for (const auto& item : value.as_array()) {
    if (!item.is_object()) continue;
    const auto& object = item.as_object();
    VictimFacts victim;
    victim.age_group = StringAt(object, "age_group");
    victim.sex = StringAt(object, "sex");
    victim.referral_consent = StringAt(object, "referral_consent");
    if (victim.referral_consent.empty()) victim.referral_consent = "unknown";
    if (auto age = object.find("age"); age != object.end() && age->value().is_int64()) {
      victim.age = static_cast<int>(age->value().as_int64());
    }
    out.push_back(std::move(victim));
  }
  return out;
}

std::vector<PerpetratorFacts> ParsePerpetrators(const std::string& text) {
  std::vector<PerpetratorFacts> out;
  boost::system::error_code ec;
  auto value = json::parse(text, ec);
  if (ec || !value.is_array()) return out;
  for (const auto& item : value.as_array()) {
    if (!item.is_object()) continue;
    const auto& object = item.as_object();
    PerpetratorFacts perpetrator;
    perpetrator.category = StringAt(object, "category");
    perpetrator.nationality = StringAt(object, "nationality");
    perpetrator.unit = StringAt(object, "unit");
    perpetrator.rank = StringAt(object, "rank");
    perpetrator.identified = StringAt(object, "identified");
    if (perpetrator.identified.empty()) perpetrator.identified = "unknown";
    out.push_back(std::move(perpetrator));
  }
  return out;
}

std::string RoutingDetails(const Routing& r) {
  return boost::json::serialize(boost::json::object{{"entity", r.entity},
                                                    {"handed_over_on", r.handed_over_on},
                                                    {"acknowledged_on", r.acknowledged_on},
                                                    {"acknowledgement", r.acknowledgement},
                                                    {"office", r.office},
                                                    {"reason", r.reason},
                                                    {"routed_by", r.routed_by},
                                                    {"routed_by_username", r.routed_by_username}});
}

std::string Member(const boost::json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  return v && v->is_string() ? std::string(v->as_string()) : std::string();
}

std::optional<Routing> ParseRouting(const std::string& route, const std::string& details,
                                    std::optional<UnixMillis> routed_at) {
  auto parsed = ParseRoute(route);
  if (!parsed) return std::nullopt;
  Routing r;
  r.route = *parsed;
  r.routed_at = routed_at.value_or(0);
  boost::system::error_code ec;
  auto value = boost::json::parse(details, ec);
  if (!ec && value.is_object()) {
    const auto& o = value.as_object();
    r.entity = Member(o, "entity");
    r.handed_over_on = Member(o, "handed_over_on");
    r.acknowledged_on = Member(o, "acknowledged_on");
    r.acknowledgement = Member(o, "acknowledgement");
    r.office = Member(o, "office");
    r.reason = Member(o, "reason");
    r.routed_by_username = Member(o, "routed_by_username");
    if (const auto* by = o.if_contains("routed_by"); by && by->is_int64()) {
      r.routed_by = by->as_int64();
    }
  }
  return r;
}

Complaint ComplaintFromRow(const storage::Row& row) {
  Complaint c;
  c.id = row.Int(0);
  c.channel = ParseChannel(row.Text(1)).value_or(Channel::kOther);
  c.status = ParseStatus(row.Text(2)).value_or(ComplaintStatus::kNew);
  c.received_at = row.Int(3);
  c.reference = ComplaintReference(c.id, c.received_at);
  c.entered_by = row.OptInt(4);
  c.entered_by_username = row.Text(5);
  c.partner_token_id = row.OptInt(6);
  c.reporter_relation = row.Text(7);
  c.anonymous = row.Bool(8);
  c.contact_consent = row.Bool(9);
  c.contact_method = row.Text(10);
  c.language = row.Text(11);
  c.prefecture = row.Text(12);
  c.sub_prefecture = row.Text(13);
  c.town = row.Text(14);
  c.incident_date_precision = row.Text(15);
  c.incident_date = row.Text(16);
  c.victims = ParseVictims(row.Text(17));
  c.perpetrators = ParsePerpetrators(row.Text(18));
  c.risk_child = row.Bool(19);
  c.risk_danger = row.Bool(20);
  c.risk_medical = row.Bool(21);
  c.urgent = row.Bool(22);
  c.acknowledged_at = row.OptInt(23);
  c.acknowledged_by = row.OptInt(24);
  c.assigned_to = row.OptInt(25);
  c.assigned_to_username = row.Text(26);
  c.duplicate_of = row.OptInt(27);
  c.sealed_item = row.Int(28);
  c.updated_at = row.Int(29);
  c.cbcm_name = row.Text(30);
  c.site = row.Text(31);
  if (!row.IsNull(32)) {
    Assessment a;
    a.is_sea = row.Bool(32);
    a.category = row.Text(33);
    a.type = row.Text(34);
    a.affiliation = row.Text(35);
    a.perpetrator_identified = row.Bool(36);
    a.assessed_by = row.OptInt(37).value_or(0);
    a.assessed_by_username = row.Text(38);
    a.assessed_at = row.OptInt(39).value_or(0);
    c.assessment = std::move(a);
  }
  if (!row.Text(40).empty()) c.routing = ParseRouting(row.Text(40), row.Text(41), row.OptInt(42));
  c.message_count = static_cast<int>(row.Int(43));
  c.unread_from_reporter = static_cast<int>(row.Int(44));
  return c;
}

// Two shapes: {"prefectures","field_offices","sites"} and, as databases written before field
// offices and sites kept it, a bare array of prefectures.
PlacesList ParsePlacesJson(const std::string& text) {
  PlacesList out;
  boost::system::error_code ec;
  auto value = json::parse(text, ec);
  if (ec) return out;
  const json::array* prefectures = nullptr;
  const json::object* whole = value.if_object();
  if (whole) {
    if (auto list = whole->if_contains("prefectures")) prefectures = list->if_array();
  } else {
    prefectures = value.if_array();
  }
  if (!prefectures) return out;
  for (const auto& p : *prefectures) {
    if (!p.is_object()) continue;
    Prefecture prefecture;
    prefecture.code = StringAt(p.as_object(), "code");
    prefecture.name = StringAt(p.as_object(), "name");
    prefecture.pcode = StringAt(p.as_object(), "pcode");
    if (auto subs = p.as_object().if_contains("sub_prefectures"); subs && subs->is_array()) {
      for (const auto& sp : subs->as_array()) {
        if (!sp.is_object()) continue;
        SubPrefecture sub;
        sub.code = StringAt(sp.as_object(), "code");
        sub.name = StringAt(sp.as_object(), "name");
        sub.field_office = StringAt(sp.as_object(), "field_office");
        if (auto towns = sp.as_object().if_contains("towns"); towns && towns->is_array()) {
          for (const auto& t : towns->as_array()) {
            if (t.is_string()) sub.towns.push_back(Town{std::string(t.as_string())});
          }
        }
        prefecture.sub_prefectures.push_back(std::move(sub));
      }
    }
    out.prefectures.push_back(std::move(prefecture));
  }
  if (!whole) return out;
  if (auto offices = whole->if_contains("field_offices"); offices && offices->is_array()) {
    for (const auto& o : offices->as_array()) {
      if (!o.is_object()) continue;
      FieldOffice office;
      office.code = StringAt(o.as_object(), "code");
      office.name = StringAt(o.as_object(), "name");
      out.field_offices.push_back(std::move(office));
    }
  }
  if (auto sites = whole->if_contains("sites"); sites && sites->is_array()) {
    for (const auto& s : sites->as_array()) {
      if (!s.is_object()) continue;
      Site site;
      site.code = StringAt(s.as_object(), "code");
      site.name = StringAt(s.as_object(), "name");
      site.type = StringAt(s.as_object(), "type");
      site.sub_prefecture = StringAt(s.as_object(), "sub_prefecture");
      out.sites.push_back(std::move(site));
    }
  }
  return out;
}
}  // namespace

constexpr std::string_view kMigration5Common = R"sql(
ALTER TABLE intake_complaints ADD COLUMN received_month TEXT NOT NULL DEFAULT '';
ALTER TABLE intake_complaints ADD COLUMN cbcm_name TEXT NOT NULL DEFAULT '';
ALTER TABLE intake_complaints ADD COLUMN site TEXT NOT NULL DEFAULT '';
ALTER TABLE intake_complaints ADD COLUMN victim_item BIGINT;
ALTER TABLE intake_complaints ADD COLUMN is_sea INTEGER;
ALTER TABLE intake_complaints ADD COLUMN sea_category TEXT NOT NULL DEFAULT '';
ALTER TABLE intake_complaints ADD COLUMN sea_type TEXT NOT NULL DEFAULT '';
ALTER TABLE intake_complaints ADD COLUMN perpetrator_affiliation TEXT NOT NULL DEFAULT '';
ALTER TABLE intake_complaints ADD COLUMN perpetrator_identified INTEGER NOT NULL DEFAULT 0;
ALTER TABLE intake_complaints ADD COLUMN assessed_by BIGINT;
ALTER TABLE intake_complaints ADD COLUMN assessed_by_username TEXT NOT NULL DEFAULT '';
ALTER TABLE intake_complaints ADD COLUMN assessed_at BIGINT;
ALTER TABLE intake_complaints ADD COLUMN route TEXT NOT NULL DEFAULT '';
ALTER TABLE intake_complaints ADD COLUMN routing TEXT NOT NULL DEFAULT '';
ALTER TABLE intake_complaints ADD COLUMN routed_at BIGINT;
CREATE INDEX intake_complaints_figures ON intake_complaints
  (received_month, channel, prefecture, sub_prefecture, sea_category, sea_type, route);
CREATE INDEX intake_complaints_ack_delay ON intake_complaints
  (received_month, urgent, acknowledged_at, received_at);
CREATE INDEX intake_complaints_assess_delay ON intake_complaints
  (received_month, urgent, assessed_at, received_at);
CREATE TABLE intake_revision (
  id BIGINT PRIMARY KEY,
  revision BIGINT NOT NULL
);
INSERT INTO intake_revision (id, revision) VALUES (1, 0);
CREATE INDEX intake_complaints_received ON intake_complaints (received_at);
CREATE INDEX intake_complaints_queue_page ON intake_complaints (status, urgent, received_at, id);
CREATE TABLE intake_corrections (
  id {{ID}},
  complaint_id BIGINT NOT NULL REFERENCES intake_complaints (id),
  field TEXT NOT NULL,
  by_user BIGINT NOT NULL,
  by_username TEXT NOT NULL,
  at BIGINT NOT NULL,
  sealed INTEGER NOT NULL,
  old_value TEXT NOT NULL,
  new_value TEXT NOT NULL,
  sealed_item BIGINT
);
CREATE INDEX intake_corrections_complaint ON intake_corrections (complaint_id, id);
CREATE TABLE intake_sea_types (
  code TEXT PRIMARY KEY,
  label_en TEXT NOT NULL,
  label_fr TEXT NOT NULL,
  active INTEGER NOT NULL,
  position BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
INSERT INTO intake_sea_types (code, label_en, label_fr, active, position, updated_at) VALUES
  ('rape', 'Rape', 'Viol', 1, 1, 0),
  ('sexual_assault', 'Sexual assault', 'Agression sexuelle', 1, 2, 0),
  ('sexual_activity_minor', 'Sexual activity with a minor', 'Activité sexuelle avec un mineur', 1, 3, 0),
  ('transactional_sex', 'Transactional sex', 'Relations sexuelles monnayées', 1, 4, 0),
  ('solicitation_transactional_sex', 'Solicitation of transactional sex', 'Sollicitation de relations sexuelles monnayées', 1, 5, 0),
  ('exploitative_relationship', 'Exploitative relationship', 'Relation d’exploitation', 1, 6, 0),
  ('other', 'Other', 'Autre', 1, 7, 0);
CREATE TABLE intake_settings (
  name TEXT PRIMARY KEY,
  value TEXT NOT NULL,
  updated_at BIGINT NOT NULL,
  updated_by TEXT NOT NULL
);
INSERT INTO intake_corrections (complaint_id, field, by_user, by_username, at, sealed, old_value, new_value)
  SELECT id, 'status', 0, 'upgrade', updated_at, 0, '"not_sea"', '"assessing"'
  FROM intake_complaints WHERE status = 'not_sea';
UPDATE intake_complaints SET status = 'assessing', closed_at = NULL, not_sea_destination = NULL
  WHERE status = 'not_sea';
)sql";

std::vector<storage::Migration> IntakeStore::Migrations() {
  return {{"intake", 1, "complaints, their messages and notes, intake readers", R"sql(
CREATE TABLE intake_complaints (
  id {{ID}},
  channel TEXT NOT NULL,
  status TEXT NOT NULL,
  received_at BIGINT NOT NULL,
  entered_by BIGINT,
  entered_by_username TEXT NOT NULL,
  partner_token_id BIGINT,
  reporter_relation TEXT NOT NULL,
  anonymous INTEGER NOT NULL,
  contact_consent INTEGER NOT NULL,
  contact_method TEXT NOT NULL,
  language TEXT NOT NULL,
  prefecture TEXT NOT NULL,
  sub_prefecture TEXT NOT NULL,
  town TEXT NOT NULL,
  incident_date_precision TEXT NOT NULL,
  incident_date TEXT NOT NULL,
  victims TEXT NOT NULL,
  perpetrators TEXT NOT NULL,
  risk_child INTEGER NOT NULL,
  risk_danger INTEGER NOT NULL,
  risk_medical INTEGER NOT NULL,
  urgent INTEGER NOT NULL,
  acknowledged_at BIGINT,
  acknowledged_by BIGINT,
  assigned_to BIGINT,
  assigned_to_username TEXT NOT NULL,
  not_sea_destination TEXT,
  duplicate_of BIGINT REFERENCES intake_complaints (id),
  sealed_item BIGINT NOT NULL,
  receipt_locator TEXT NOT NULL UNIQUE,
  receipt_hash TEXT NOT NULL,
  mailbox_public_key {{BLOB}} NOT NULL,
  mailbox_private_key {{BLOB}} NOT NULL,
  closed_at BIGINT,
  updated_at BIGINT NOT NULL
);
CREATE INDEX intake_complaints_queue ON intake_complaints (status, urgent, received_at);
CREATE INDEX intake_complaints_entered_by ON intake_complaints (entered_by);
CREATE INDEX intake_complaints_partner ON intake_complaints (partner_token_id);
CREATE TABLE intake_messages (
  id {{ID}},
  complaint_id BIGINT NOT NULL REFERENCES intake_complaints (id),
  from_reporter INTEGER NOT NULL,
  author BIGINT,
  author_username TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  sealed_item BIGINT NOT NULL,
  reporter_copy {{BLOB}} NOT NULL,
  read_at BIGINT
);
CREATE INDEX intake_messages_complaint ON intake_messages (complaint_id, id);
CREATE TABLE intake_notes (
  id {{ID}},
  complaint_id BIGINT NOT NULL REFERENCES intake_complaints (id),
  author BIGINT NOT NULL,
  author_username TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  sealed_item BIGINT NOT NULL
);
CREATE INDEX intake_notes_complaint ON intake_notes (complaint_id, id);
CREATE TABLE intake_readers (
  user_id BIGINT PRIMARY KEY,
  named_by BIGINT NOT NULL,
  named_at BIGINT NOT NULL
);
)sql"},
          {"intake", 2, "SMS senders, gateway message ids and the quarantine", R"sql(
ALTER TABLE intake_complaints ADD COLUMN sms_sender TEXT;
ALTER TABLE intake_complaints ADD COLUMN last_sms_at BIGINT;
CREATE INDEX intake_complaints_sms_sender ON intake_complaints (sms_sender, last_sms_at);
CREATE TABLE intake_sms_seen (
  gateway_id TEXT PRIMARY KEY,
  complaint_id BIGINT NOT NULL REFERENCES intake_complaints (id),
  received_at BIGINT NOT NULL
);
CREATE TABLE intake_places (
  id BIGINT PRIMARY KEY,
  tree TEXT NOT NULL,
  updated_at BIGINT NOT NULL,
  updated_by TEXT NOT NULL
);
CREATE TABLE intake_attachments (
  id {{ID}},
  complaint_id BIGINT NOT NULL REFERENCES intake_complaints (id),
  key_item BIGINT NOT NULL,
  name_item BIGINT NOT NULL,
  stored_name TEXT NOT NULL,
  content_type TEXT NOT NULL,
  size BIGINT NOT NULL,
  sha256 TEXT NOT NULL,
  added_by BIGINT,
  added_by_username TEXT NOT NULL,
  created_at BIGINT NOT NULL
);
CREATE INDEX intake_attachments_complaint ON intake_attachments (complaint_id, id);
CREATE TABLE intake_quarantine (
  id {{ID}},
  channel TEXT NOT NULL,
  received_at BIGINT NOT NULL,
  reason TEXT NOT NULL,
  sealed_item BIGINT NOT NULL,
  resolved_at BIGINT,
  resolved_by BIGINT
);
)sql"},
          // Readers become an explicit list (security::ReaderRegistry). Who read before keeps
          // reading: the officers a chief had named (accounts migration 4 adds the chiefs).
          {"intake", 3, "intake readers move to the reader registry", R"sql(
INSERT INTO reader_members (scope, user_id, added_by, added_by_name, added_at)
  SELECT 'intake', r.user_id, r.named_by, 'upgrade', r.named_at FROM intake_readers r
  WHERE NOT EXISTS (SELECT 1 FROM reader_members m WHERE m.scope = 'intake'
                    AND m.user_id = r.user_id);
DROP TABLE intake_readers;
)sql"},
          // A receipt code that staff saw can be replaced by the reporter once; follow-up
          // views are counted (and audited as counts).
          {"intake", 4, "replaced receipt codes, follow-up view counts", R"sql(
ALTER TABLE intake_complaints ADD COLUMN receipt_replaced_at BIGINT;
ALTER TABLE intake_complaints ADD COLUMN follow_up_views BIGINT NOT NULL DEFAULT 0;
)sql"},
          // Issue 10: the preliminary assessment and its route, corrections with their history,
          // the SEA types vocabulary, the victim part sealed for the Victims' Rights Advocate,
          // the month a complaint was received (figures), the module's settings. Complaints
          // marked "not SEA" under the old rules go back to assessment: SEA by another UN
          // entity's or a partner's personnel is SEA, and must be routed as such.
          {"intake", 5, "assessment, routing, corrections, SEA types, victim part, figures",
           std::string(kMigration5Common) + R"sql(
UPDATE intake_complaints SET received_month = strftime('%Y-%m', received_at / 1000, 'unixepoch');
)sql",
           std::string(kMigration5Common) + R"sql(
UPDATE intake_complaints SET received_month =
  to_char(to_timestamp(received_at / 1000) AT TIME ZONE 'UTC', 'YYYY-MM');
)sql"},
          // E-mail complaints were filed as reporter_relation 'anonymous' even with a sender's
          // name or address: a sender is known, how they relate to the events is not.
          {"intake", 6, "e-mail reporters with a sender are of unknown relation, not anonymous",
           R"sql(
UPDATE intake_complaints SET reporter_relation = 'unknown'
  WHERE channel = 'email' AND reporter_relation = 'anonymous' AND anonymous = 0;
UPDATE intake_revision SET revision = revision + 1 WHERE id = 1;
)sql"},
          // What a gateway needs besides its token (Twilio's auth token, Android's signing key,
          // the outgoing API's address and key): one encrypted blob per token.
          {"intake", 7, "SMS gateway settings, encrypted", R"sql(
CREATE TABLE intake_sms_gateways (
  token_id BIGINT PRIMARY KEY,
  settings_sealed {{BLOB}} NOT NULL,
  updated_at BIGINT NOT NULL,
  updated_by BIGINT NOT NULL
);
CREATE TABLE intake_sms_outbox (
  id {{ID}},
  token_id BIGINT NOT NULL,
  gateway TEXT NOT NULL,
  complaint_id BIGINT NOT NULL,
  sealed {{BLOB}},
  status TEXT NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at BIGINT NOT NULL,
  created_at BIGINT NOT NULL,
  finished_at BIGINT,
  last_error TEXT NOT NULL DEFAULT ''
);
CREATE INDEX intake_sms_outbox_due ON intake_sms_outbox (status, next_attempt_at);
)sql"}};
}

Status IntakeStore::InsertSmsOutbox(Connection& c, std::int64_t token_id,
                                    const std::string& gateway, std::int64_t complaint_id,
                                    const std::string& sealed, UnixMillis now) const {
  return c
      .Execute(
          "INSERT INTO intake_sms_outbox (token_id, gateway, complaint_id, sealed, status, "
          "next_attempt_at, created_at) VALUES (?, ?, ?, ?, 'pending', ?, ?)",
          {token_id, gateway, complaint_id, storage::Blob{sealed}, now, now})
      .status();
}

Result<std::vector<SmsOutboxEntry>> IntakeStore::DueSmsOutbox(Connection& c, UnixMillis now,
                                                              int limit) const {
  ASSIGN_OR_RETURN(auto rows,
                   c.Query("SELECT id, token_id, gateway, complaint_id, sealed, attempts, "
                           "created_at FROM intake_sms_outbox WHERE status = 'pending' AND "
                           "next_attempt_at <= ? ORDER BY next_attempt_at LIMIT ?",
                           {now, std::int64_t{limit}}));
  std::vector<SmsOutboxEntry> entries;
  for (const auto& row : rows.rows) {
    SmsOutboxEntry entry;
    entry.id = row.Int(0);
    entry.token_id = row.Int(1);
    entry.gateway = row.Text(2);
    entry.complaint_id = row.Int(3);
    entry.sealed = row.IsNull(4) ? "" : row.Bytes(4);
    entry.attempts = row.Int(5);
    entry.created_at = row.Int(6);
    entries.push_back(std::move(entry));
  }
  return entries;
}

Status IntakeStore::FinishSmsOutbox(Connection& c, std::int64_t id, bool sent,
                                    const std::string& error, UnixMillis now) const {
  // The reply holds the receipt code and the number identifies the reporter: gone once done.
  return c
      .Execute(
          "UPDATE intake_sms_outbox SET sealed = NULL, status = ?, finished_at = ?, "
          "attempts = attempts + 1, last_error = ? WHERE id = ?",
          {std::string(sent ? "sent" : "failed"), now, error, id})
      .status();
}

Status IntakeStore::RetrySmsOutbox(Connection& c, std::int64_t id, UnixMillis next_attempt_at,
                                   const std::string& error) const {
  return c
      .Execute(
          "UPDATE intake_sms_outbox SET attempts = attempts + 1, next_attempt_at = ?, "
          "last_error = ? WHERE id = ?",
          {next_attempt_at, error, id})
      .status();
}

Result<std::optional<std::string>> IntakeStore::FindSmsGatewaySettings(
    Connection& c, std::int64_t token_id) const {
  ASSIGN_OR_RETURN(auto row, c.QueryOne("SELECT settings_sealed FROM intake_sms_gateways "
                                        "WHERE token_id = ?",
                                        {token_id}));
  if (!row) return std::optional<std::string>();
  return std::optional<std::string>(row->Bytes(0));
}

Status IntakeStore::SaveSmsGatewaySettings(Connection& c, std::int64_t token_id,
                                           const std::string& sealed, std::int64_t updated_by,
                                           UnixMillis now) const {
  ASSIGN_OR_RETURN(auto changed,
                   c.Execute("UPDATE intake_sms_gateways SET settings_sealed = ?, updated_at = ?, "
                             "updated_by = ? WHERE token_id = ?",
                             {storage::Blob{sealed}, now, updated_by, token_id}));
  if (changed > 0) return Status::Ok();
  return c
      .Execute(
          "INSERT INTO intake_sms_gateways (token_id, settings_sealed, updated_at, "
          "updated_by) VALUES (?, ?, ?, ?)",
          {token_id, storage::Blob{sealed}, now, updated_by})
      .status();
}

Result<std::int64_t> IntakeStore::InsertComplaint(
    Connection& c, const NewComplaint& n, const ComplaintOrigin& origin, UnixMillis received_at,
    bool urgent, std::int64_t sealed_item, std::int64_t victim_item, const StoredReceipt& receipt,
    UnixMillis now) const {
  ASSIGN_OR_RETURN(
      auto row,
      c.QueryOne(
          "INSERT INTO intake_complaints (channel, status, received_at, entered_by, "
          "entered_by_username, partner_token_id, reporter_relation, anonymous, "
          "contact_consent, contact_method, language, prefecture, sub_prefecture, town, "
          "incident_date_precision, incident_date, victims, perpetrators, risk_child, "
          "risk_danger, risk_medical, urgent, assigned_to_username, sealed_item, "
          "receipt_locator, receipt_hash, mailbox_public_key, mailbox_private_key, updated_at, "
          "received_month, cbcm_name, site, victim_item) "
          "VALUES (?, 'new', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, '', ?, "
          "?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
          {std::string(ChannelName(n.channel)),
           received_at,
           origin.user_id ? storage::Value(*origin.user_id) : storage::Null(),
           origin.username,
           origin.partner_token_id ? storage::Value(*origin.partner_token_id) : storage::Null(),
           n.reporter_relation,
           std::int64_t{n.anonymous},
           std::int64_t{n.contact_consent},
           n.contact_method,
           n.language,
           n.prefecture,
           n.sub_prefecture,
           n.town,
           n.incident_date_precision,
           n.incident_date,
           VictimsJson(n.victims),
           PerpetratorsJson(n.perpetrators),
           std::int64_t{n.risk_child},
           std::int64_t{n.risk_danger},
           std::int64_t{n.risk_medical},
           std::int64_t{urgent},
           sealed_item,
           receipt.locator,
           receipt.hash,
           storage::Blob{receipt.mailbox_public_key},
           storage::Blob{receipt.mailbox_private_sealed},
           now,
           MonthOf(received_at),
           n.cbcm_name,
           n.site,
           victim_item}));
  RETURN_IF_ERROR(BumpRevision(c));
  return row->Int(0);
}

Result<std::optional<Complaint>> IntakeStore::FindComplaint(Connection& c, std::int64_t id) const {
  ASSIGN_OR_RETURN(
      auto row,
      c.QueryOne(std::string("SELECT ") + kColumns + " FROM intake_complaints WHERE id = ?", {id}));
  if (!row) return std::optional<Complaint>();
  return std::optional<Complaint>(ComplaintFromRow(*row));
}

Result<std::vector<Complaint>> IntakeStore::ListComplaints(
    Connection& c, const QueueFilter& filter, std::optional<std::int64_t> entered_by) const {
  // The page's ids first, from narrow rows: sorting and skipping the thousands of open
  // complaints reads no wide row and computes no message count.
  std::string sql = "SELECT id FROM intake_complaints WHERE 1 = 1";
  storage::Params params;
  if (entered_by) {
    sql += " AND entered_by = ?";
    params.emplace_back(*entered_by);
  }
  if (filter.status) {
    sql += " AND status = ?";
    params.emplace_back(std::string(StatusName(*filter.status)));
  } else if (filter.open_only) {
    sql += " AND status IN ('new', 'acknowledged', 'assessing', 'ready_for_case')";
  }
  if (filter.urgent_only) sql += " AND urgent = 1";
  if (filter.channel) {
    sql += " AND channel = ?";
    params.emplace_back(std::string(ChannelName(*filter.channel)));
  }
  if (!filter.prefecture.empty()) {
    sql += " AND prefecture = ?";
    params.emplace_back(filter.prefecture);
  }
  if (filter.by_sub_prefectures) {
    if (filter.sub_prefectures.empty()) {
      sql += " AND 1 = 0";
    } else {
      sql += " AND sub_prefecture IN (";
      for (std::size_t i = 0; i < filter.sub_prefectures.size(); ++i) {
        sql += i ? ", ?" : "?";
        params.emplace_back(filter.sub_prefectures[i]);
      }
      sql += ")";
    }
  }
  if (!filter.sea_type.empty()) {
    sql += " AND sea_type = ?";
    params.emplace_back(filter.sea_type);
  }
  if (filter.route) {
    sql += " AND route = ?";
    params.emplace_back(std::string(RouteName(*filter.route)));
  }
  if (!filter.query.empty()) {
    // A reference ("C-2026-00042") or a number finds that complaint; other words, the town.
    std::int64_t id = -1;
    std::string digits = filter.query;
    if (digits.size() > 7 && (digits[0] == 'C' || digits[0] == 'c') && digits[1] == '-') {
      digits = digits.substr(7);
    }
    if (!digits.empty() && digits.size() <= 15 &&
        digits.find_first_not_of("0123456789") == std::string::npos) {
      id = std::stoll(digits);
    }
    std::string pattern;
    for (char ch : filter.query) {
      if (ch == '%' || ch == '_' || ch == '\\') pattern += '\\';
      pattern += static_cast<char>(ch >= 'A' && ch <= 'Z' ? ch - 'A' + 'a' : ch);
    }
    sql += " AND (id = ? OR LOWER(town) LIKE ? ESCAPE '\\')";
    params.emplace_back(id);
    params.emplace_back("%" + pattern + "%");
  }
  sql +=
      " ORDER BY urgent DESC, CASE WHEN status = 'new' THEN 0 ELSE 1 END, received_at, id "
      "LIMIT ? OFFSET ?";
  params.emplace_back(std::int64_t{filter.limit});
  params.emplace_back(std::int64_t{filter.offset});
  ASSIGN_OR_RETURN(auto ids, c.Query(sql, params));
  std::vector<Complaint> out;
  if (ids.rows.empty()) return out;
  // Then the page's whole rows by their keys (a join on the first query let PostgreSQL scan
  // every row of the table), put back in the first query's order.
  std::string rows_sql =
      std::string("SELECT ") + kColumns + " FROM intake_complaints WHERE id IN (";
  storage::Params keys;
  std::map<std::int64_t, std::size_t> position;
  for (std::size_t i = 0; i < ids.rows.size(); ++i) {
    rows_sql += i ? ", ?" : "?";
    keys.emplace_back(ids.rows[i].Int(0));
    position[ids.rows[i].Int(0)] = i;
  }
  rows_sql += ")";
  ASSIGN_OR_RETURN(auto rows, c.Query(rows_sql, keys));
  out.resize(ids.rows.size());
  for (const auto& row : rows.rows) {
    Complaint complaint = ComplaintFromRow(row);
    out[position[complaint.id]] = std::move(complaint);
  }
  std::erase_if(out, [](const Complaint& complaint) { return complaint.id == 0; });
  return out;
}

Result<std::vector<Complaint>> IntakeStore::ListPartnerComplaints(Connection& c,
                                                                  std::int64_t token_id) const {
  ASSIGN_OR_RETURN(auto rows, c.Query(std::string("SELECT ") + kColumns +
                                          " FROM intake_complaints WHERE partner_token_id = ? "
                                          "ORDER BY id DESC LIMIT 500",
                                      {token_id}));
  std::vector<Complaint> out;
  for (const auto& row : rows.rows) out.push_back(ComplaintFromRow(row));
  return out;
}

Result<std::vector<std::int64_t>> IntakeStore::ListDuplicatesOf(Connection& c,
                                                                std::int64_t id) const {
  ASSIGN_OR_RETURN(
      auto rows,
      c.Query("SELECT id FROM intake_complaints WHERE duplicate_of = ? ORDER BY id", {id}));
  std::vector<std::int64_t> ids;
  for (const auto& row : rows.rows) ids.push_back(row.Int(0));
  return ids;
}

Result<std::int64_t> IntakeStore::CountUnacknowledgedUrgent(Connection& c) const {
  ASSIGN_OR_RETURN(auto row, c.QueryOne("SELECT COUNT(*) FROM intake_complaints WHERE urgent = "
                                        "1 AND acknowledged_at IS NULL AND status = 'new'"));
  return row->Int(0);
}

Result<std::vector<std::int64_t>> IntakeStore::ListSealedItems(Connection& c) const {
  ASSIGN_OR_RETURN(
      auto rows,
      c.Query("SELECT sealed_item FROM intake_complaints UNION ALL SELECT sealed_item FROM "
              "intake_messages UNION ALL SELECT sealed_item FROM intake_notes UNION ALL "
              "SELECT key_item FROM intake_attachments UNION ALL SELECT name_item FROM "
              "intake_attachments UNION ALL SELECT sealed_item FROM intake_quarantine"));
  std::vector<std::int64_t> items;
  items.reserve(rows.rows.size());
  for (const auto& row : rows.rows) items.push_back(row.Int(0));
  return items;
}

// ---- Retention

Result<std::vector<RetentionCandidate>> IntakeStore::ListClosedBefore(
    Connection& c, const std::vector<ComplaintStatus>& statuses, UnixMillis closed_before) const {
  std::vector<RetentionCandidate> candidates;
  for (ComplaintStatus status : statuses) {
    ASSIGN_OR_RETURN(auto rows, c.Query("SELECT id, closed_at FROM intake_complaints WHERE "
                                        "status = ? AND closed_at IS NOT NULL AND closed_at < ?",
                                        {std::string(StatusName(status)), closed_before}));
    for (const auto& row : rows.rows) {
      RetentionCandidate candidate;
      candidate.id = row.Int(0);
      candidate.status = status;
      candidate.closed_at = row.Int(1);
      ASSIGN_OR_RETURN(candidate.duplicates, ListDuplicatesOf(c, candidate.id));
      candidates.push_back(std::move(candidate));
    }
  }
  std::sort(candidates.begin(), candidates.end(), [](const auto& a, const auto& b) {
    return std::tie(a.closed_at, a.id) < std::tie(b.closed_at, b.id);
  });
  return candidates;
}

Result<ComplaintFootprint> IntakeStore::FootprintOf(Connection& c, std::int64_t id) const {
  ComplaintFootprint footprint;
  ASSIGN_OR_RETURN(
      auto items,
      c.Query("SELECT sealed_item FROM intake_complaints WHERE id = ? UNION ALL "
              "SELECT victim_item FROM intake_complaints WHERE id = ? AND victim_item IS NOT NULL "
              "UNION ALL SELECT sealed_item FROM intake_messages WHERE complaint_id = ? UNION ALL "
              "SELECT sealed_item FROM intake_notes WHERE complaint_id = ? UNION ALL "
              "SELECT key_item FROM intake_attachments WHERE complaint_id = ? UNION ALL "
              "SELECT name_item FROM intake_attachments WHERE complaint_id = ? UNION ALL "
              "SELECT sealed_item FROM intake_corrections WHERE complaint_id = ? AND "
              "sealed_item IS NOT NULL",
              {id, id, id, id, id, id, id}));
  for (const auto& row : items.rows) footprint.vault_items.push_back(row.Int(0));
  ASSIGN_OR_RETURN(
      auto files,
      c.Query("SELECT stored_name FROM intake_attachments WHERE complaint_id = ?", {id}));
  for (const auto& row : files.rows) footprint.stored_files.push_back(row.Text(0));
  return footprint;
}

Result<bool> IntakeStore::DeleteComplaint(Connection& c, std::int64_t id) const {
  for (const char* sql : {"DELETE FROM intake_messages WHERE complaint_id = ?",
                          "DELETE FROM intake_notes WHERE complaint_id = ?",
                          "DELETE FROM intake_attachments WHERE complaint_id = ?",
                          "DELETE FROM intake_corrections WHERE complaint_id = ?",
                          "DELETE FROM intake_sms_seen WHERE complaint_id = ?",
                          "DELETE FROM intake_sms_outbox WHERE complaint_id = ?"}) {
    RETURN_IF_ERROR(c.Execute(sql, {id}).status());
  }
  ASSIGN_OR_RETURN(std::int64_t deleted,
                   c.Execute("DELETE FROM intake_complaints WHERE id = ?", {id}));
  return deleted > 0;
}

Result<std::vector<std::pair<std::int64_t, std::int64_t>>> IntakeStore::ListQuarantinedBefore(
    Connection& c, UnixMillis received_before) const {
  ASSIGN_OR_RETURN(auto rows, c.Query("SELECT id, sealed_item FROM intake_quarantine WHERE "
                                      "received_at < ? ORDER BY id",
                                      {received_before}));
  std::vector<std::pair<std::int64_t, std::int64_t>> out;
  for (const auto& row : rows.rows) out.emplace_back(row.Int(0), row.Int(1));
  return out;
}

Status IntakeStore::DeleteQuarantined(Connection& c, std::int64_t id) const {
  return c.Execute("DELETE FROM intake_quarantine WHERE id = ?", {id}).status();
}

// ---- Changes of the clear half

Status IntakeStore::TouchComplaint(Connection& c, std::int64_t id, UnixMillis now) const {
  return c.Execute("UPDATE intake_complaints SET updated_at = ? WHERE id = ?", {now, id}).status();
}

Status IntakeStore::TouchAfterChange(Connection& c, std::int64_t id, UnixMillis now) const {
  return c
      .Execute(
          "UPDATE intake_complaints SET updated_at = ?, sms_sender = CASE WHEN "
          "status IN ('new', 'acknowledged') THEN sms_sender END WHERE id = ?",
          {now, id})
      .status();
}

Status IntakeStore::SetAcknowledged(Connection& c, std::int64_t id, std::int64_t by,
                                    bool advance_status, UnixMillis now) const {
  const char* status_sql = advance_status ? "'acknowledged'" : "status";
  RETURN_IF_ERROR(c.Execute(std::string("UPDATE intake_complaints SET acknowledged_at = ?, "
                                        "acknowledged_by = ?, status = ") +
                                status_sql + " WHERE id = ?",
                            {now, by, id})
                      .status());
  return BumpRevision(c);
}

Status IntakeStore::SetAssignee(Connection& c, std::int64_t id,
                                std::optional<std::int64_t> assignee,
                                const std::string& username) const {
  return c
      .Execute(
          "UPDATE intake_complaints SET assigned_to = ?, "
          "assigned_to_username = ? WHERE id = ?",
          {assignee ? storage::Value(*assignee) : storage::Null(), username, id})
      .status();
}

Status IntakeStore::MarkDuplicate(Connection& c, std::int64_t id, std::int64_t root,
                                  UnixMillis now) const {
  RETURN_IF_ERROR(
      c.Execute("UPDATE intake_complaints SET duplicate_of = ? "
                "WHERE duplicate_of = ?",
                {root, id}));
  RETURN_IF_ERROR(c.Execute("UPDATE intake_complaints SET status = 'duplicate', "
                            "duplicate_of = ?, closed_at = ? WHERE id = ?",
                            {root, now, id})
                      .status());
  return BumpRevision(c);
}

Status IntakeStore::SetStatus(Connection& c, std::int64_t id, ComplaintStatus status,
                              std::optional<UnixMillis> closed_at, std::int64_t by,
                              UnixMillis now) const {
  RETURN_IF_ERROR(c.Execute("UPDATE intake_complaints SET status = ?, closed_at = ?, "
                            "acknowledged_at = COALESCE(acknowledged_at, ?), "
                            "acknowledged_by = COALESCE(acknowledged_by, ?) WHERE id = ?",
                            {std::string(StatusName(status)),
                             closed_at ? storage::Value(*closed_at) : storage::Null(), now, by, id})
                      .status());
  return BumpRevision(c);
}

Status IntakeStore::MarkReferred(Connection& c, std::int64_t id, UnixMillis now) const {
  RETURN_IF_ERROR(c.Execute("UPDATE intake_complaints SET status = 'referred', "
                            "acknowledged_at = COALESCE(acknowledged_at, ?), updated_at = ? "
                            "WHERE id = ?",
                            {now, now, id})
                      .status());
  return BumpRevision(c);
}

// ---- Receipt codes

Result<std::optional<ReceiptRecord>> IntakeStore::FindReceipt(Connection& c,
                                                              const std::string& locator) const {
  ASSIGN_OR_RETURN(
      auto row,
      c.QueryOne(
          "SELECT id, receipt_hash, closed_at FROM intake_complaints WHERE receipt_locator = ?",
          {locator}));
  if (!row) return std::optional<ReceiptRecord>();
  return std::optional<ReceiptRecord>(ReceiptRecord{row->Int(0), row->Text(1), row->OptInt(2)});
}

Result<std::optional<FollowUpRecord>> IntakeStore::CountFollowUpView(Connection& c,
                                                                     std::int64_t id) const {
  ASSIGN_OR_RETURN(auto row,
                   c.QueryOne("UPDATE intake_complaints SET follow_up_views = follow_up_views + 1 "
                              "WHERE id = ? RETURNING status, received_at, receipt_locator, "
                              "mailbox_private_key, follow_up_views, entered_by, "
                              "partner_token_id, receipt_replaced_at",
                              {id}));
  if (!row) return std::optional<FollowUpRecord>();
  FollowUpRecord record;
  record.status = ParseStatus(row->Text(0)).value_or(ComplaintStatus::kNew);
  record.received_at = row->Int(1);
  record.locator = row->Text(2);
  record.mailbox_private_sealed = row->Bytes(3);
  record.views = row->Int(4);
  record.entered_by = row->OptInt(5);
  record.partner_token_id = row->OptInt(6);
  record.receipt_replaced_at = row->OptInt(7);
  return std::optional<FollowUpRecord>(std::move(record));
}

Result<std::optional<ReceiptHolder>> IntakeStore::FindReceiptHolder(
    Connection& c, std::int64_t id, const std::string& locator) const {
  ASSIGN_OR_RETURN(auto row, c.QueryOne("SELECT entered_by, partner_token_id, "
                                        "receipt_replaced_at, mailbox_private_key FROM "
                                        "intake_complaints WHERE id = ? AND receipt_locator = ?",
                                        {id, locator}));
  if (!row) return std::optional<ReceiptHolder>();
  return std::optional<ReceiptHolder>(
      ReceiptHolder{row->OptInt(0), row->OptInt(1), row->OptInt(2), row->Bytes(3)});
}

Result<bool> IntakeStore::ReplaceReceipt(Connection& c, std::int64_t id,
                                         const std::string& old_locator,
                                         const StoredReceipt& receipt, UnixMillis now) const {
  ASSIGN_OR_RETURN(
      auto changed,
      c.Execute("UPDATE intake_complaints SET receipt_locator = ?, receipt_hash = ?, "
                "mailbox_private_key = ?, receipt_replaced_at = ? WHERE id = ? AND "
                "receipt_locator = ?",
                {receipt.locator, receipt.hash, storage::Blob{receipt.mailbox_private_sealed}, now,
                 id, old_locator}));
  return changed == 1;
}

Result<std::optional<std::string>> IntakeStore::MailboxPublicKey(Connection& c,
                                                                 std::int64_t id) const {
  ASSIGN_OR_RETURN(auto row, c.QueryOne("SELECT mailbox_public_key FROM intake_complaints "
                                        "WHERE id = ?",
                                        {id}));
  if (!row) return std::optional<std::string>();
  return std::optional<std::string>(row->Bytes(0));
}

// ---- Messages and notes

Status IntakeStore::InsertMessage(Connection& c, std::int64_t complaint_id, bool from_reporter,
                                  std::optional<std::int64_t> author,
                                  const std::string& author_username, UnixMillis created_at,
                                  std::int64_t sealed_item,
                                  const std::string& reporter_copy) const {
  return c
      .Execute(
          "INSERT INTO intake_messages (complaint_id, from_reporter, author, "
          "author_username, created_at, sealed_item, reporter_copy) VALUES (?, ?, ?, "
          "?, ?, ?, ?)",
          {complaint_id, std::int64_t{from_reporter},
           author ? storage::Value(*author) : storage::Null(), author_username, created_at,
           sealed_item, storage::Blob{reporter_copy}})
      .status();
}

Result<std::vector<Message>> IntakeStore::ListMessages(Connection& c,
                                                       std::int64_t complaint_id) const {
  ASSIGN_OR_RETURN(auto rows,
                   c.Query("SELECT id, from_reporter, author, author_username, created_at, "
                           "sealed_item FROM intake_messages WHERE complaint_id = ? ORDER BY id",
                           {complaint_id}));
  std::vector<Message> out;
  for (const auto& row : rows.rows) {
    out.push_back(Message{row.Int(0), complaint_id, row.Bool(1), row.OptInt(2), row.Text(3),
                          row.Int(4), row.Int(5), ""});
  }
  return out;
}

Result<std::vector<ReporterCopy>> IntakeStore::ListReporterCopies(Connection& c,
                                                                  std::int64_t complaint_id) const {
  ASSIGN_OR_RETURN(auto rows, c.Query("SELECT id, from_reporter, created_at, reporter_copy FROM "
                                      "intake_messages WHERE complaint_id = ? ORDER BY id",
                                      {complaint_id}));
  std::vector<ReporterCopy> out;
  for (const auto& row : rows.rows) {
    ReporterCopy copy;
    copy.message.id = row.Int(0);
    copy.message.complaint_id = complaint_id;
    copy.message.from_reporter = row.Bool(1);
    copy.message.created_at = row.Int(2);
    copy.sealed_copy = row.Bytes(3);
    out.push_back(std::move(copy));
  }
  return out;
}

Status IntakeStore::MarkReporterMessagesRead(Connection& c, std::int64_t complaint_id,
                                             UnixMillis now) const {
  return c
      .Execute(
          "UPDATE intake_messages SET read_at = ? WHERE complaint_id = ? "
          "AND from_reporter = 1 AND read_at IS NULL",
          {now, complaint_id})
      .status();
}

Status IntakeStore::InsertNote(Connection& c, std::int64_t complaint_id, std::int64_t author,
                               const std::string& author_username, UnixMillis created_at,
                               std::int64_t sealed_item) const {
  return c
      .Execute(
          "INSERT INTO intake_notes (complaint_id, author, author_username, "
          "created_at, sealed_item) VALUES (?, ?, ?, ?, ?)",
          {complaint_id, author, author_username, created_at, sealed_item})
      .status();
}

Result<std::vector<Note>> IntakeStore::ListNotes(Connection& c, std::int64_t complaint_id) const {
  ASSIGN_OR_RETURN(auto rows, c.Query("SELECT id, author, author_username, created_at, "
                                      "sealed_item FROM intake_notes WHERE complaint_id = ? "
                                      "ORDER BY id",
                                      {complaint_id}));
  std::vector<Note> out;
  for (const auto& row : rows.rows) {
    out.push_back(
        Note{row.Int(0), complaint_id, row.Int(1), row.Text(2), row.Int(3), row.Int(4), ""});
  }
  return out;
}

// ---- SMS

Status IntakeStore::ForgetSmsSenders(Connection& c, UnixMillis last_sms_before) const {
  return c
      .Execute(
          "UPDATE intake_complaints SET sms_sender = NULL WHERE sms_sender IS "
          "NOT NULL AND (last_sms_at < ? OR status NOT IN ('new', "
          "'acknowledged'))",
          {last_sms_before})
      .status();
}

Result<std::optional<std::int64_t>> IntakeStore::FindSmsSeen(Connection& c,
                                                             const std::string& gateway_id) const {
  ASSIGN_OR_RETURN(auto row, c.QueryOne("SELECT complaint_id FROM intake_sms_seen WHERE "
                                        "gateway_id = ?",
                                        {gateway_id}));
  if (!row) return std::optional<std::int64_t>();
  return std::optional<std::int64_t>(row->Int(0));
}

Status IntakeStore::RecordSmsSeen(Connection& c, const std::string& gateway_id,
                                  std::int64_t complaint_id, UnixMillis now) const {
  return c
      .Execute(
          "INSERT INTO intake_sms_seen (gateway_id, complaint_id, "
          "received_at) VALUES (?, ?, ?)",
          {gateway_id, complaint_id, now})
      .status();
}

Result<std::optional<SmsConversation>> IntakeStore::FindSmsConversation(
    Connection& c, const std::string& sender, const std::string& previous_sender,
    UnixMillis since) const {
  ASSIGN_OR_RETURN(auto row,
                   c.QueryOne("SELECT id, entered_by, mailbox_public_key FROM intake_complaints "
                              "WHERE sms_sender IN (?, ?) AND last_sms_at >= ? AND status IN "
                              "('new', 'acknowledged') ORDER BY last_sms_at DESC LIMIT 1",
                              {sender, previous_sender, since}));
  if (!row) return std::optional<SmsConversation>();
  return std::optional<SmsConversation>(SmsConversation{row->Int(0), row->Bytes(2)});
}

Status IntakeStore::SetSmsSender(Connection& c, std::int64_t id, const std::string& sender,
                                 UnixMillis now) const {
  return c
      .Execute(
          "UPDATE intake_complaints SET sms_sender = ?, "
          "last_sms_at = ? WHERE id = ?",
          {sender, now, id})
      .status();
}

Status IntakeStore::TouchSms(Connection& c, std::int64_t id, UnixMillis now) const {
  return c
      .Execute("UPDATE intake_complaints SET last_sms_at = ?, updated_at = ? WHERE id = ?",
               {now, now, id})
      .status();
}

// ---- The quarantine

Result<std::int64_t> IntakeStore::InsertQuarantined(Connection& c, const std::string& channel,
                                                    const std::string& reason,
                                                    std::int64_t sealed_item,
                                                    UnixMillis now) const {
  ASSIGN_OR_RETURN(auto row, c.QueryOne("INSERT INTO intake_quarantine (channel, received_at, "
                                        "reason, sealed_item) VALUES (?, ?, ?, ?) RETURNING id",
                                        {channel, now, reason, sealed_item}));
  return row->Int(0);
}

Result<std::vector<QuarantinedMessage>> IntakeStore::ListQuarantine(Connection& c) const {
  ASSIGN_OR_RETURN(auto rows, c.Query("SELECT id, received_at, channel, reason, "
                                      "sealed_item, resolved_at FROM intake_quarantine "
                                      "ORDER BY resolved_at IS NOT NULL, id DESC LIMIT 500"));
  std::vector<QuarantinedMessage> out;
  for (const auto& row : rows.rows) {
    out.push_back({row.Int(0), row.Int(1), row.Text(2), row.Text(3), row.Int(4), row.OptInt(5)});
  }
  return out;
}

Result<std::optional<std::int64_t>> IntakeStore::QuarantinedItem(Connection& c,
                                                                 std::int64_t id) const {
  ASSIGN_OR_RETURN(auto row,
                   c.QueryOne("SELECT sealed_item FROM intake_quarantine WHERE id = ?", {id}));
  if (!row) return std::optional<std::int64_t>();
  return std::optional<std::int64_t>(row->Int(0));
}

Result<bool> IntakeStore::ResolveQuarantined(Connection& c, std::int64_t id, std::int64_t by,
                                             UnixMillis now) const {
  ASSIGN_OR_RETURN(auto changed, c.Execute("UPDATE intake_quarantine SET resolved_at = ?, "
                                           "resolved_by = ? WHERE id = ? AND resolved_at IS NULL",
                                           {now, by, id}));
  return changed != 0;
}

// ---- Attachments

Result<std::int64_t> IntakeStore::AttachmentBytes(Connection& c, std::int64_t complaint_id) const {
  ASSIGN_OR_RETURN(
      auto total,
      c.QueryOne("SELECT CAST(COALESCE(SUM(size), 0) AS BIGINT) FROM intake_attachments "
                 "WHERE complaint_id = ?",
                 {complaint_id}));
  return total->Int(0);
}

Result<std::int64_t> IntakeStore::InsertAttachment(Connection& c,
                                                   const NewAttachmentRecord& a) const {
  ASSIGN_OR_RETURN(
      auto row,
      c.QueryOne("INSERT INTO intake_attachments (complaint_id, key_item, name_item, stored_name, "
                 "content_type, size, sha256, added_by, added_by_username, created_at) VALUES (?, "
                 "?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                 {a.complaint_id, a.key_item, a.name_item, a.stored_name, a.content_type, a.size,
                  a.sha256, a.added_by ? storage::Value(*a.added_by) : storage::Null(),
                  a.added_by_username, a.created_at}));
  return row->Int(0);
}

Result<std::vector<AttachmentRecord>> IntakeStore::ListAttachments(
    Connection& c, std::int64_t complaint_id) const {
  ASSIGN_OR_RETURN(auto rows,
                   c.Query("SELECT id, content_type, size, sha256, created_at, added_by_username, "
                           "name_item FROM intake_attachments WHERE complaint_id = ? ORDER BY id",
                           {complaint_id}));
  std::vector<AttachmentRecord> out;
  for (const auto& row : rows.rows) {
    AttachmentRecord record;
    record.attachment = Attachment{row.Int(0),  complaint_id, row.Text(1), row.Int(2),
                                   row.Text(3), row.Int(4),   row.Text(5), ""};
    record.name_item = row.Int(6);
    out.push_back(std::move(record));
  }
  return out;
}

Result<std::optional<AttachmentRecord>> IntakeStore::FindAttachment(
    Connection& c, std::int64_t complaint_id, std::int64_t attachment_id) const {
  ASSIGN_OR_RETURN(auto row, c.QueryOne("SELECT id, content_type, size, sha256, created_at, "
                                        "added_by_username, name_item, key_item, stored_name FROM "
                                        "intake_attachments WHERE id = ? AND complaint_id = ?",
                                        {attachment_id, complaint_id}));
  if (!row) return std::optional<AttachmentRecord>();
  AttachmentRecord record;
  Attachment& a = record.attachment;
  a.id = row->Int(0);
  a.complaint_id = complaint_id;
  a.content_type = row->Text(1);
  a.size = row->Int(2);
  a.sha256 = row->Text(3);
  a.created_at = row->Int(4);
  a.added_by_username = row->Text(5);
  record.name_item = row->Int(6);
  record.key_item = row->Int(7);
  record.stored_name = row->Text(8);
  return std::optional<AttachmentRecord>(std::move(record));
}

// ---- Places

Result<std::optional<PlacesList>> IntakeStore::FindPlaces(Connection& c) const {
  ASSIGN_OR_RETURN(auto row, c.QueryOne("SELECT tree FROM intake_places WHERE id = 1"));
  if (!row) return std::optional<PlacesList>();
  return std::optional<PlacesList>(ParsePlacesJson(row->Text(0)));
}

Status IntakeStore::InsertPlaces(Connection& c, const PlacesList& places, UnixMillis now) const {
  return c
      .Execute(
          "INSERT INTO intake_places (id, tree, updated_at, updated_by) VALUES (1, ?, ?, "
          "'data/locations/car.yaml')",
          {json::serialize(PlacesJson(places)), now})
      .status();
}

Status IntakeStore::UpdatePlaces(Connection& c, const PlacesList& places,
                                 const std::string& updated_by, UnixMillis now) const {
  return c
      .Execute("UPDATE intake_places SET tree = ?, updated_at = ?, updated_by = ? WHERE id = 1",
               {json::serialize(PlacesJson(places)), now, updated_by})
      .status();
}

// ---------------------------------------------------------------------------------------------
// Assessment, routing, corrections

Status IntakeStore::SetAssessment(Connection& c, std::int64_t id, const Assessment& a,
                                  ComplaintStatus status, UnixMillis now) const {
  RETURN_IF_ERROR(
      c.Execute(
           "UPDATE intake_complaints SET is_sea = ?, sea_category = ?, sea_type = ?, "
           "perpetrator_affiliation = ?, perpetrator_identified = ?, assessed_by = ?, "
           "assessed_by_username = ?, assessed_at = ?, status = ?, updated_at = ? WHERE id = ?",
           {std::int64_t{a.is_sea ? 1 : 0}, a.category, a.type, a.affiliation,
            std::int64_t{a.perpetrator_identified ? 1 : 0}, a.assessed_by, a.assessed_by_username,
            a.assessed_at, std::string(StatusName(status)), now, id})
          .status());
  return BumpRevision(c);
}

Status IntakeStore::SetRouting(Connection& c, std::int64_t id, const Routing& routing,
                               ComplaintStatus status, std::optional<UnixMillis> closed_at,
                               UnixMillis now) const {
  RETURN_IF_ERROR(
      c.Execute("UPDATE intake_complaints SET route = ?, routing = ?, routed_at = ?, status = ?, "
                "closed_at = ?, updated_at = ? WHERE id = ?",
                {std::string(RouteName(routing.route)), RoutingDetails(routing), routing.routed_at,
                 std::string(StatusName(status)), storage::Opt(closed_at), now, id})
          .status());
  return BumpRevision(c);
}

Status IntakeStore::UpdateFacts(Connection& c, const Complaint& x, UnixMillis now) const {
  RETURN_IF_ERROR(
      c.Execute(
           "UPDATE intake_complaints SET received_at = ?, received_month = ?, channel = ?, "
           "cbcm_name = ?, reporter_relation = ?, prefecture = ?, sub_prefecture = ?, town = ?, "
           "site = ?, incident_date_precision = ?, incident_date = ?, victims = ?, "
           "perpetrators = ?, risk_child = ?, risk_danger = ?, risk_medical = ?, urgent = ?, "
           "updated_at = ? WHERE id = ?",
           {x.received_at, MonthOf(x.received_at), std::string(ChannelName(x.channel)), x.cbcm_name,
            x.reporter_relation, x.prefecture, x.sub_prefecture, x.town, x.site,
            x.incident_date_precision, x.incident_date, VictimsJson(x.victims),
            PerpetratorsJson(x.perpetrators), std::int64_t{x.risk_child ? 1 : 0},
            std::int64_t{x.risk_danger ? 1 : 0}, std::int64_t{x.risk_medical ? 1 : 0},
            std::int64_t{x.urgent ? 1 : 0}, now, x.id})
          .status());
  return BumpRevision(c);
}

Status IntakeStore::ReplaceSealedItems(Connection& c, std::int64_t id, std::int64_t sealed_item,
                                       std::int64_t victim_item) const {
  return c
      .Execute("UPDATE intake_complaints SET sealed_item = ?, victim_item = ? WHERE id = ?",
               {sealed_item, victim_item, id})
      .status();
}

Status IntakeStore::SetVictimItem(Connection& c, std::int64_t id, std::int64_t victim_item) const {
  return c.Execute("UPDATE intake_complaints SET victim_item = ? WHERE id = ?", {victim_item, id})
      .status();
}

Result<std::optional<std::int64_t>> IntakeStore::VictimItem(Connection& c, std::int64_t id) const {
  ASSIGN_OR_RETURN(auto row,
                   c.QueryOne("SELECT victim_item FROM intake_complaints WHERE id = ?", {id}));
  if (!row) return std::optional<std::int64_t>();
  return row->OptInt(0);
}

Result<std::vector<std::int64_t>> IntakeStore::ListVictimItems(Connection& c) const {
  ASSIGN_OR_RETURN(auto rows, c.Query("SELECT victim_item FROM intake_complaints WHERE "
                                      "victim_item IS NOT NULL ORDER BY id"));
  std::vector<std::int64_t> items;
  for (const auto& row : rows.rows) items.push_back(row.Int(0));
  return items;
}

Status IntakeStore::InsertCorrection(Connection& c, const Correction& x) const {
  return c
      .Execute(
          "INSERT INTO intake_corrections (complaint_id, field, by_user, by_username, at, "
          "sealed, old_value, new_value, sealed_item) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
          {x.complaint_id, x.field, x.by, x.by_username, x.at, std::int64_t{x.sealed ? 1 : 0},
           x.old_json, x.new_json, x.sealed_item ? storage::Value(x.sealed_item) : storage::Null()})
      .status();
}

Result<std::vector<Correction>> IntakeStore::ListCorrections(Connection& c,
                                                             std::int64_t complaint_id) const {
  ASSIGN_OR_RETURN(auto rows,
                   c.Query("SELECT id, field, by_user, by_username, at, sealed, old_value, "
                           "new_value, sealed_item FROM intake_corrections WHERE complaint_id = ? "
                           "ORDER BY id DESC LIMIT 500",
                           {complaint_id}));
  std::vector<Correction> out;
  for (const auto& row : rows.rows) {
    Correction x;
    x.id = row.Int(0);
    x.complaint_id = complaint_id;
    x.field = row.Text(1);
    x.by = row.Int(2);
    x.by_username = row.Text(3);
    x.at = row.Int(4);
    x.sealed = row.Bool(5);
    x.old_json = row.Text(6);
    x.new_json = row.Text(7);
    x.sealed_item = row.OptInt(8).value_or(0);
    out.push_back(std::move(x));
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// SEA types

Result<std::vector<SeaType>> IntakeStore::ListSeaTypes(Connection& c) const {
  ASSIGN_OR_RETURN(auto rows, c.Query("SELECT code, label_en, label_fr, active FROM "
                                      "intake_sea_types ORDER BY position, code"));
  std::vector<SeaType> out;
  for (const auto& row : rows.rows) {
    out.push_back(SeaType{row.Text(0), row.Text(1), row.Text(2), row.Bool(3)});
  }
  return out;
}

Result<bool> IntakeStore::InsertSeaType(Connection& c, const SeaType& t, UnixMillis now) const {
  ASSIGN_OR_RETURN(auto exists,
                   c.QueryOne("SELECT 1 FROM intake_sea_types WHERE code = ?", {t.code}));
  if (exists) return false;
  ASSIGN_OR_RETURN(auto last, c.QueryOne("SELECT COALESCE(MAX(position), 0) FROM "
                                         "intake_sea_types"));
  RETURN_IF_ERROR(c.Execute("INSERT INTO intake_sea_types (code, label_en, label_fr, active, "
                            "position, updated_at) VALUES (?, ?, ?, ?, ?, ?)",
                            {t.code, t.label_en, t.label_fr, std::int64_t{t.active ? 1 : 0},
                             last->Int(0) + 1, now})
                      .status());
  return true;
}

Result<bool> IntakeStore::UpdateSeaType(Connection& c, const SeaType& t, UnixMillis now) const {
  ASSIGN_OR_RETURN(
      auto changed,
      c.Execute("UPDATE intake_sea_types SET label_en = ?, label_fr = ?, active = ?, "
                "updated_at = ? WHERE code = ?",
                {t.label_en, t.label_fr, std::int64_t{t.active ? 1 : 0}, now, t.code}));
  return changed > 0;
}

// ---------------------------------------------------------------------------------------------
// The Victims' Rights Advocate's list

// The SQL twin of ReachesVictimsAdvocate (model.cc).
constexpr std::string_view kReachesVictimsAdvocate =
    "(risk_child = 1 OR risk_danger = 1 OR risk_medical = 1 OR status IN "
    "('ready_for_case', 'referred', 'handed_over', 'gbv_referral'))";

// ---------------------------------------------------------------------------------------------
// Figures

Result<std::vector<IntakeStore::FigureCell>> IntakeStore::FigureCells(Connection& c,
                                                                      const std::string& from,
                                                                      const std::string& to) const {
  std::vector<FigureCell> out;
  RETURN_IF_ERROR(c.ForEachRow(
      "SELECT received_month, channel, prefecture, sub_prefecture, sea_category, sea_type, "
      "route, COUNT(*) FROM intake_complaints WHERE received_month >= ? AND received_month <= ? "
      "GROUP BY received_month, channel, prefecture, sub_prefecture, sea_category, sea_type, "
      "route",
      {from, to}, [&](const storage::Row& row) -> Status {
        out.push_back(FigureCell{row.Text(0), row.Text(1), row.Text(2), row.Text(3), row.Text(4),
                                 row.Text(5), row.Text(6), row.Int(7)});
        return Status::Ok();
      }));
  return out;
}

namespace {
Result<std::vector<IntakeStore::DelayBucket>> Delays(Connection& c, std::string_view column,
                                                     const std::string& from,
                                                     const std::string& to) {
  const std::string sql = "SELECT (" + std::string(column) +
                          " - received_at) / 60000, urgent, COUNT(*) FROM intake_complaints "
                          "WHERE received_month >= ? AND received_month <= ? AND " +
                          std::string(column) + " IS NOT NULL GROUP BY 1, 2";
  std::vector<IntakeStore::DelayBucket> out;
  RETURN_IF_ERROR(c.ForEachRow(sql, {from, to}, [&](const storage::Row& row) -> Status {
    out.push_back(
        IntakeStore::DelayBucket{std::max<std::int64_t>(0, row.Int(0)), row.Bool(1), row.Int(2)});
    return Status::Ok();
  }));
  return out;
}
}  // namespace

Result<std::vector<IntakeStore::DelayBucket>> IntakeStore::AcknowledgementDelays(
    Connection& c, const std::string& from, const std::string& to) const {
  return Delays(c, "acknowledged_at", from, to);
}

Result<std::vector<IntakeStore::DelayBucket>> IntakeStore::AssessmentDelays(
    Connection& c, const std::string& from, const std::string& to) const {
  return Delays(c, "assessed_at", from, to);
}

Result<std::int64_t> IntakeStore::CountReceived(Connection& c, const std::string& from,
                                                const std::string& to,
                                                const std::string& channel) const {
  ASSIGN_OR_RETURN(auto row,
                   channel.empty()
                       ? c.QueryOne("SELECT COUNT(*) FROM intake_complaints WHERE "
                                    "received_month >= ? AND received_month <= ?",
                                    {from, to})
                       : c.QueryOne("SELECT COUNT(*) FROM intake_complaints WHERE "
                                    "received_month >= ? AND received_month <= ? AND channel = ?",
                                    {from, to, channel}));
  return row->Int(0);
}

Result<std::optional<std::string>> IntakeStore::Setting(Connection& c,
                                                        const std::string& name) const {
  ASSIGN_OR_RETURN(auto row,
                   c.QueryOne("SELECT value FROM intake_settings WHERE name = ?", {name}));
  if (!row) return std::optional<std::string>();
  return std::optional<std::string>(row->Text(0));
}

Status IntakeStore::PutSetting(Connection& c, const std::string& name, const std::string& value,
                               const std::string& by, UnixMillis now) const {
  ASSIGN_OR_RETURN(auto changed,
                   c.Execute("UPDATE intake_settings SET value = ?, updated_at = ?, updated_by = ? "
                             "WHERE name = ?",
                             {value, now, by, name}));
  if (changed == 0) {
    RETURN_IF_ERROR(
        c.Execute("INSERT INTO intake_settings (name, value, updated_at, "
                  "updated_by) VALUES (?, ?, ?, ?)",
                  {name, value, now, by}));
  }
  return BumpRevision(c);  // the targets are part of the figures
}

Result<std::vector<Complaint>> IntakeStore::ListForVictimsAdvocate(Connection& c) const {
  ASSIGN_OR_RETURN(auto rows,
                   c.Query(std::string("SELECT ") + kColumns + " FROM intake_complaints WHERE " +
                           std::string(kReachesVictimsAdvocate) +
                           " ORDER BY urgent DESC, received_at DESC, id DESC LIMIT 500"));
  std::vector<Complaint> out;
  for (const auto& row : rows.rows) out.push_back(ComplaintFromRow(row));
  return out;
}

Status IntakeStore::BumpRevision(Connection& c) const {
  return c.Execute("UPDATE intake_revision SET revision = revision + 1 WHERE id = 1").status();
}

Result<std::int64_t> IntakeStore::Revision(Connection& c) const {
  ASSIGN_OR_RETURN(auto row, c.QueryOne("SELECT revision FROM intake_revision WHERE id = 1"));
  if (!row) return Internal("intake_revision has no row");
  return row->Int(0);
}

}  // namespace psea::intake
