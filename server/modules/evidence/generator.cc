// `psea generate --cases N`, the evidence half: invented evidence items, their chains of
// custody and IRT deployments for the generated cases that reached investigation, written
// through the store in chunked transactions the way the cases generator writes its cases.
// Each chain is hashed exactly as AddItem and AddTransfer hash it, so the integrity check
// finds every generated item intact.
#include <algorithm>
#include <string>

#include "modules/evidence/service.h"

namespace psea::evidence {

using storage::Connection;

namespace {

constexpr UnixMillis kHourMillis = 3600LL * 1000;
const char* const kLabels[] = {"Clothing",          "Mobile phone",   "Photographs",
                               "Written statement", "Medical report", "Bedding",
                               "Payment receipt",   "Text messages",  "Identity card copy",
                               "Voice recording",   "Letter",         "Swab kit"};
const char* const kHolders[] = {"IRT focal point", "CDT evidence officer", "SIU investigator",
                                "OIOS investigator"};
const char* const kStores[] = {"CDT safe, Bangui", "SIU locker 3", "OIOS evidence room",
                               "Sector HQ safe"};

}  // namespace

Result<EvidenceService::GeneratedEvidence> EvidenceService::GenerateEvidence(
    const std::vector<cases::CasesService::GeneratedCase>& cases,
    const security::Principal& recorder) {
  const UnixMillis now = clock_.Now();
  GeneratedEvidence total;
  constexpr std::size_t kChunk = 500;
  for (std::size_t start = 0; start < cases.size(); start += kChunk) {
    GeneratedEvidence chunk;
    RETURN_IF_ERROR(database_.WriteTransaction([&](Connection& c) -> Status {
      chunk = GeneratedEvidence();
      for (std::size_t i = start; i < std::min(cases.size(), start + kChunk); ++i) {
        const auto& kase = cases[i];
        if (!kase.investigation_at) continue;
        const unsigned mix = static_cast<unsigned>(kase.id) * 2654435761u;
        // The IRT goes out within days of the report, before the referral.
        if (mix % 5 == 0) {
          Deployment d;
          d.case_id = kase.id;
          d.alerted_at = kase.reported_at + static_cast<UnixMillis>(2 + mix % 20) * kHourMillis;
          d.deployed_at = d.alerted_at + static_cast<UnixMillis>(4 + (mix >> 5) % 44) * kHourMillis;
          d.team = "IRT: CDT officer, SIU investigator, medical officer";
          d.place = kase.location;
          d.actions = "Interviewed the complainant; collected and sealed the evidence";
          d.created_by = recorder.user_id;
          d.created_by_username = recorder.username;
          d.created_at = std::min(now, *d.deployed_at + kHourMillis);
          RETURN_IF_ERROR(store_.InsertDeployment(c, d).status());
          ++chunk.deployments;
        }
        const int items = 1 + static_cast<int>((mix >> 7) % 3);
        for (int n = 0; n < items; ++n) {
          Item item;
          item.case_id = kase.id;
          item.label = kLabels[(mix >> (n + 9)) % 12];
          item.description = "Generated item " + std::to_string(n + 1);
          item.collected_by = kHolders[0];
          item.collected_at =
              std::min(now, kase.reported_at + static_cast<UnixMillis>(6 + n * 5) * kHourMillis);
          item.place_collected = kase.location;
          item.storage_location = kStores[0];
          item.status = "held";
          item.created_by = recorder.user_id;
          item.created_by_username = recorder.username;
          item.created_at = item.collected_at;
          // Entry 1, the collection; then up to two transfers after the referral.
          CustodyEntry entry;
          entry.seq = 1;
          entry.to_holder = item.collected_by;
          entry.at = item.collected_at;
          entry.purpose = "collection";
          entry.status = "held";
          entry.storage_location = item.storage_location;
          entry.recorded_by = recorder.user_id;
          entry.recorded_by_username = recorder.username;
          entry.recorded_at = item.created_at;
          std::vector<CustodyEntry> chain = {entry};
          const int transfers = static_cast<int>((mix >> (n + 13)) % 3);
          for (int t = 0; t < transfers; ++t) {
            const CustodyEntry& last = chain.back();
            CustodyEntry next;
            next.seq = last.seq + 1;
            next.from_holder = last.to_holder;
            next.to_holder = kHolders[1 + (mix >> (t + 17)) % 3];
            next.at = std::min(now, std::max(last.at, *kase.investigation_at) +
                                        static_cast<UnixMillis>(1 + t) * 24 * kHourMillis);
            next.purpose = t == 0 ? "handed to the investigators" : "analysis";
            next.status = "transferred";
            next.storage_location = kStores[1 + (mix >> (t + 19)) % 3];
            next.recorded_by = recorder.user_id;
            next.recorded_by_username = recorder.username;
            next.recorded_at = next.at;
            chain.push_back(next);
          }
          item.status = chain.back().status;
          item.storage_location = chain.back().storage_location;
          ASSIGN_OR_RETURN(item.id, store_.InsertItem(c, item));
          std::string prev_hash;
          for (CustodyEntry& link : chain) {
            link.item_id = item.id;
            link.prev_hash = prev_hash;
            link.hash = EntryHash(item, link);
            prev_hash = link.hash;
            RETURN_IF_ERROR(store_.InsertCustody(c, link).status());
          }
          ++chunk.items;
          chunk.custody_entries += static_cast<std::int64_t>(chain.size());
        }
      }
      return Status::Ok();
    }));
    total.items += chunk.items;
    total.custody_entries += chunk.custody_entries;
    total.deployments += chunk.deployments;
  }
  return total;
}

}  // namespace psea::evidence
