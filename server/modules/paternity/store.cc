#include "modules/paternity/store.h"

#include <map>

namespace psea::paternity {

using storage::Connection;
using storage::Opt;

namespace {

constexpr const char* kClaimColumns =
    "id, file_id, case_id, subject_id, claim_date, status, closed_at, sealed_item, "
    "ms_notified_at, ms_reference, sample_collected_by, sample_collected_at, sample_place, lab, "
    "tested_at, result, result_at, created_by, created_by_username, created_at, updated_at, "
    "version";

Claim ClaimFromRow(const storage::Row& row) {
  Claim k;
  k.id = row.Int(0);
  k.file_id = row.Int(1);
  k.case_id = row.OptInt(2);
  k.subject_id = row.OptInt(3);
  k.claim_date = row.Int(4);
  k.status = row.Text(5);
  k.closed_at = row.OptInt(6);
  k.sealed_item = row.OptInt(7);
  k.ms_notified_at = row.OptInt(8);
  k.ms_reference = row.Text(9);
  k.sample_collected_by = row.Text(10);
  k.sample_collected_at = row.OptInt(11);
  k.sample_place = row.Text(12);
  k.lab = row.Text(13);
  k.tested_at = row.OptInt(14);
  k.result = row.Text(15);
  k.result_at = row.OptInt(16);
  k.created_by = row.Int(17);
  k.created_by_username = row.Text(18);
  k.created_at = row.Int(19);
  k.updated_at = row.Int(20);
  k.version = row.Int(21);
  return k;
}

constexpr const char* kCustodyColumns =
    "id, claim_id, seq, from_holder, to_holder, at, place, seal_intact, note, recorded_by, "
    "recorded_by_username, recorded_at, prev_hash, hash";

CustodyEntry CustodyFromRow(const storage::Row& row) {
  CustodyEntry e;
  e.id = row.Int(0);
  e.claim_id = row.Int(1);
  e.seq = row.Int(2);
  e.from_holder = row.Text(3);
  e.to_holder = row.Text(4);
  e.at = row.Int(5);
  e.place = row.Text(6);
  e.seal_intact = row.Bool(7);
  e.note = row.Text(8);
  e.recorded_by = row.Int(9);
  e.recorded_by_username = row.Text(10);
  e.recorded_at = row.Int(11);
  e.prev_hash = row.Text(12);
  e.hash = row.Text(13);
  return e;
}

constexpr const char* kSupportColumns =
    "id, claim_id, kind, amount_cents, currency, frequency, payer, starts_on, note, "
    "recorded_by_username, recorded_at";

Support SupportFromRow(const storage::Row& row) {
  Support s;
  s.id = row.Int(0);
  s.claim_id = row.Int(1);
  s.kind = row.Text(2);
  s.amount_cents = row.Int(3);
  s.currency = row.Text(4);
  s.frequency = row.Text(5);
  s.payer = row.Text(6);
  s.starts_on = row.Int(7);
  s.note = row.Text(8);
  s.recorded_by_username = row.Text(9);
  s.recorded_at = row.Int(10);
  return s;
}

constexpr const char* kPaymentColumns =
    "id, support_id, paid_on, amount_cents, state, note, recorded_by_username, recorded_at";

Payment PaymentFromRow(const storage::Row& row) {
  Payment p;
  p.id = row.Int(0);
  p.support_id = row.Int(1);
  p.on = row.Int(2);
  p.amount_cents = row.Int(3);
  p.state = row.Text(4);
  p.note = row.Text(5);
  p.recorded_by_username = row.Text(6);
  p.recorded_at = row.Int(7);
  return p;
}

Status LoadLists(Connection& c, Claim& claim) {
  ASSIGN_OR_RETURN(auto custody,
                   c.Query(std::string("SELECT ") + kCustodyColumns +
                               " FROM paternity_custody WHERE claim_id = ? ORDER BY seq",
                           {claim.id}));
  for (const auto& row : custody.rows) claim.custody.push_back(CustodyFromRow(row));
  ASSIGN_OR_RETURN(auto support,
                   c.Query(std::string("SELECT ") + kSupportColumns +
                               " FROM paternity_support WHERE claim_id = ? ORDER BY id",
                           {claim.id}));
  std::map<std::int64_t, std::size_t> index;
  for (const auto& row : support.rows) {
    index[row.Int(0)] = claim.support.size();
    claim.support.push_back(SupportFromRow(row));
  }
  if (claim.support.empty()) return Status::Ok();
  ASSIGN_OR_RETURN(auto payments,
                   c.Query(std::string("SELECT ") + kPaymentColumns +
                               " FROM paternity_payments WHERE support_id IN (SELECT id FROM "
                               "paternity_support WHERE claim_id = ?) ORDER BY paid_on, id",
                           {claim.id}));
  for (const auto& row : payments.rows) {
    Payment payment = PaymentFromRow(row);
    auto at = index.find(payment.support_id);
    if (at != index.end()) claim.support[at->second].payments.push_back(std::move(payment));
  }
  return Status::Ok();
}

}  // namespace

std::vector<storage::Migration> PaternityStore::Migrations() {
  return {{"paternity", 1,
           "paternity claims, the DNA sample's custody, child support and its payments",
           R"sql(
CREATE TABLE paternity_claims (
  id {{ID}},
  file_id BIGINT NOT NULL,
  case_id BIGINT,
  subject_id BIGINT,
  claim_date BIGINT NOT NULL,
  status TEXT NOT NULL,
  closed_at BIGINT,
  sealed_item BIGINT,
  ms_notified_at BIGINT,
  ms_reference TEXT NOT NULL,
  sample_collected_by TEXT NOT NULL,
  sample_collected_at BIGINT,
  sample_place TEXT NOT NULL,
  lab TEXT NOT NULL,
  tested_at BIGINT,
  result TEXT NOT NULL,
  result_at BIGINT,
  created_by BIGINT NOT NULL,
  created_by_username TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  version BIGINT NOT NULL
);
CREATE INDEX paternity_claims_file ON paternity_claims (file_id);
CREATE INDEX paternity_claims_status ON paternity_claims (status, claim_date);
CREATE TABLE paternity_custody (
  id {{ID}},
  claim_id BIGINT NOT NULL REFERENCES paternity_claims (id),
  seq BIGINT NOT NULL,
  from_holder TEXT NOT NULL,
  to_holder TEXT NOT NULL,
  at BIGINT NOT NULL,
  place TEXT NOT NULL,
  seal_intact INTEGER NOT NULL,
  note TEXT NOT NULL,
  recorded_by BIGINT NOT NULL,
  recorded_by_username TEXT NOT NULL,
  recorded_at BIGINT NOT NULL,
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL,
  UNIQUE (claim_id, seq)
);
CREATE TABLE paternity_support (
  id {{ID}},
  claim_id BIGINT NOT NULL REFERENCES paternity_claims (id),
  kind TEXT NOT NULL,
  amount_cents BIGINT NOT NULL,
  currency TEXT NOT NULL,
  frequency TEXT NOT NULL,
  payer TEXT NOT NULL,
  starts_on BIGINT NOT NULL,
  note TEXT NOT NULL,
  recorded_by_username TEXT NOT NULL,
  recorded_at BIGINT NOT NULL
);
CREATE INDEX paternity_support_claim ON paternity_support (claim_id);
CREATE TABLE paternity_payments (
  id {{ID}},
  support_id BIGINT NOT NULL REFERENCES paternity_support (id),
  paid_on BIGINT NOT NULL,
  amount_cents BIGINT NOT NULL,
  state TEXT NOT NULL,
  note TEXT NOT NULL,
  recorded_by_username TEXT NOT NULL,
  recorded_at BIGINT NOT NULL
);
CREATE INDEX paternity_payments_support ON paternity_payments (support_id);
)sql"}};
}

Result<std::int64_t> PaternityStore::InsertClaim(Connection& c, const Claim& k) const {
  ASSIGN_OR_RETURN(
      auto row,
      c.QueryOne("INSERT INTO paternity_claims (file_id, case_id, subject_id, claim_date, status, "
                 "closed_at, sealed_item, ms_notified_at, ms_reference, sample_collected_by, "
                 "sample_collected_at, sample_place, lab, tested_at, result, result_at, "
                 "created_by, created_by_username, created_at, updated_at, version) VALUES (?, ?, "
                 "?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                 {k.file_id,
                  Opt(k.case_id),
                  Opt(k.subject_id),
                  k.claim_date,
                  k.status,
                  Opt(k.closed_at),
                  Opt(k.sealed_item),
                  Opt(k.ms_notified_at),
                  k.ms_reference,
                  k.sample_collected_by,
                  Opt(k.sample_collected_at),
                  k.sample_place,
                  k.lab,
                  Opt(k.tested_at),
                  k.result,
                  Opt(k.result_at),
                  k.created_by,
                  k.created_by_username,
                  k.created_at,
                  k.updated_at,
                  k.version}));
  if (!row) return Internal("the paternity claim was not stored");
  return row->Int(0);
}

Result<bool> PaternityStore::UpdateClaim(Connection& c, const Claim& k,
                                         std::int64_t expected) const {
  ASSIGN_OR_RETURN(
      std::int64_t changed,
      c.Execute("UPDATE paternity_claims SET case_id = ?, subject_id = ?, claim_date = ?, "
                "status = ?, closed_at = ?, sealed_item = ?, ms_notified_at = ?, ms_reference = "
                "?, sample_collected_by = ?, sample_collected_at = ?, sample_place = ?, lab = ?, "
                "tested_at = ?, result = ?, result_at = ?, updated_at = ?, version = version + 1 "
                "WHERE id = ? AND version = ?",
                {Opt(k.case_id), Opt(k.subject_id), k.claim_date, k.status, Opt(k.closed_at),
                 Opt(k.sealed_item), Opt(k.ms_notified_at), k.ms_reference, k.sample_collected_by,
                 Opt(k.sample_collected_at), k.sample_place, k.lab, Opt(k.tested_at), k.result,
                 Opt(k.result_at), k.updated_at, k.id, expected}));
  return changed == 1;
}

Result<std::optional<Claim>> PaternityStore::FindClaim(Connection& c, std::int64_t id) const {
  ASSIGN_OR_RETURN(auto row, c.QueryOne(std::string("SELECT ") + kClaimColumns +
                                            " FROM paternity_claims WHERE id = ?",
                                        {id}));
  if (!row) return std::optional<Claim>();
  Claim claim = ClaimFromRow(*row);
  RETURN_IF_ERROR(LoadLists(c, claim));
  return std::optional<Claim>(std::move(claim));
}

Result<std::vector<Claim>> PaternityStore::ClaimsOfFile(Connection& c, std::int64_t file_id) const {
  ASSIGN_OR_RETURN(auto rows,
                   c.Query(std::string("SELECT ") + kClaimColumns +
                               " FROM paternity_claims WHERE file_id = ? ORDER BY claim_date, id",
                           {file_id}));
  std::vector<Claim> out;
  for (const auto& row : rows.rows) {
    Claim claim = ClaimFromRow(row);
    RETURN_IF_ERROR(LoadLists(c, claim));
    out.push_back(std::move(claim));
  }
  return out;
}

Status PaternityStore::InsertCustody(Connection& c, const CustodyEntry& e) const {
  return c
      .Execute(
          "INSERT INTO paternity_custody (claim_id, seq, from_holder, to_holder, at, place, "
          "seal_intact, note, recorded_by, recorded_by_username, recorded_at, prev_hash, "
          "hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
          {e.claim_id, e.seq, e.from_holder, e.to_holder, e.at, e.place,
           std::int64_t{e.seal_intact ? 1 : 0}, e.note, e.recorded_by, e.recorded_by_username,
           e.recorded_at, e.prev_hash, e.hash})
      .status();
}

Result<std::int64_t> PaternityStore::InsertSupport(Connection& c, const Support& s) const {
  ASSIGN_OR_RETURN(
      auto row,
      c.QueryOne("INSERT INTO paternity_support (claim_id, kind, amount_cents, currency, "
                 "frequency, payer, starts_on, note, recorded_by_username, recorded_at) VALUES "
                 "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                 {s.claim_id, s.kind, s.amount_cents, s.currency, s.frequency, s.payer, s.starts_on,
                  s.note, s.recorded_by_username, s.recorded_at}));
  if (!row) return Internal("the support arrangement was not stored");
  return row->Int(0);
}

Result<std::int64_t> PaternityStore::InsertPayment(Connection& c, const Payment& p) const {
  ASSIGN_OR_RETURN(
      auto row,
      c.QueryOne("INSERT INTO paternity_payments (support_id, paid_on, amount_cents, state, note, "
                 "recorded_by_username, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
                 {p.support_id, p.on, p.amount_cents, p.state, p.note, p.recorded_by_username,
                  p.recorded_at}));
  if (!row) return Internal("the payment was not stored");
  return row->Int(0);
}

Result<std::vector<PaternityStore::SealedItem>> PaternityStore::SealedItems(Connection& c) const {
  ASSIGN_OR_RETURN(auto rows, c.Query("SELECT id, file_id, sealed_item FROM paternity_claims "
                                      "WHERE sealed_item IS NOT NULL ORDER BY id"));
  std::vector<SealedItem> out;
  for (const auto& row : rows.rows) out.push_back({row.Int(0), row.Int(1), row.Int(2)});
  return out;
}

Result<std::int64_t> PaternityStore::UnlinkCase(Connection& c, std::int64_t case_id) const {
  return c.Execute(
      "UPDATE paternity_claims SET case_id = NULL, subject_id = NULL, version = version + 1 WHERE "
      "case_id = ?",
      {case_id});
}

Result<std::vector<ClaimSpan>> PaternityStore::Spans(Connection& c) const {
  ASSIGN_OR_RETURN(auto rows, c.Query("SELECT claim_date, closed_at FROM paternity_claims"));
  std::vector<ClaimSpan> out;
  out.reserve(rows.rows.size());
  for (const auto& row : rows.rows) out.push_back({row.Int(0), row.OptInt(1)});
  return out;
}

}  // namespace psea::paternity
