// The custody hash chain, pure: a chain built entry by entry checks out; a changed field, a
// broken link, a missing entry or an item whose state left its last entry is reported.
#include "modules/evidence/model.h"

#include <gtest/gtest.h>

namespace psea::evidence {
namespace {

Item Chain(int entries) {
  Item item;
  item.id = 7;
  item.case_id = 3;
  item.label = "E-1 phone";
  item.description = "A synthetic phone";
  item.collected_by = "Officer A";
  item.collected_at = 1795800000000;
  item.place_collected = "Camp B";
  std::string previous;
  for (int i = 1; i <= entries; ++i) {
    CustodyEntry e;
    e.item_id = item.id;
    e.seq = i;
    e.from_holder = i == 1 ? "" : "Holder " + std::to_string(i - 1);
    e.to_holder = "Holder " + std::to_string(i);
    e.at = item.collected_at + i * 1000;
    e.purpose = i == 1 ? "collection" : "analysis";
    e.status = i == 1 ? "held" : "transferred";
    e.storage_location = "Safe " + std::to_string(i);
    e.recorded_by = 1;
    e.recorded_by_username = "chief";
    e.recorded_at = e.at;
    e.prev_hash = previous;
    e.hash = EntryHash(item, e);
    previous = e.hash;
    item.custody.push_back(e);
  }
  item.status = item.custody.back().status;
  item.storage_location = item.custody.back().storage_location;
  return item;
}

ItemIntegrity Check(const Item& item) {
  ItemIntegrity out;
  CheckCustody(item, out);
  return out;
}

TEST(CustodyChain, AnIntactChainChecksOut) {
  const ItemIntegrity result = Check(Chain(4));
  EXPECT_TRUE(result.custody_intact);
  EXPECT_TRUE(result.custody_problems.empty());
  EXPECT_TRUE(result.intact());
  EXPECT_EQ(EntryHash(Chain(1), Chain(1).custody[0]).size(), 64u);
}

TEST(CustodyChain, EveryKindOfTamperingIsReported) {
  struct Case {
    const char* what;
    void (*tamper)(Item&);
    const char* expected;
  };
  const Case cases[] = {
      {"a transfer's recipient", [](Item& i) { i.custody[2].to_holder = "Someone else"; },
       "entry 3: its content does not match its hash"},
      {"the collection's label", [](Item& i) { i.label = "E-1 laptop"; },
       "entry 1: its content does not match its hash"},
      {"a date", [](Item& i) { i.custody[1].at += 1; },
       "entry 2: its content does not match its hash"},
      {"a removed entry", [](Item& i) { i.custody.erase(i.custody.begin() + 1); },
       "entry 3: expected entry 2 (one is missing)"},
      {"a rehashed entry",
       [](Item& i) {
         i.custody[1].purpose = "changed";
         i.custody[1].hash = EntryHash(i, i.custody[1]);
       },
       "entry 3: does not link to the entry before"},
      {"the item's state", [](Item& i) { i.status = "returned"; },
       "the item's status or storage location differs from its last custody entry"},
  };
  for (const auto& c : cases) {
    Item item = Chain(4);
    c.tamper(item);
    const ItemIntegrity result = Check(item);
    EXPECT_FALSE(result.custody_intact) << c.what;
    EXPECT_FALSE(result.intact()) << c.what;
    bool found = false;
    for (const auto& problem : result.custody_problems) found = found || problem == c.expected;
    EXPECT_TRUE(found) << c.what << ": "
                       << (result.custody_problems.empty() ? std::string("no problem")
                                                           : result.custody_problems.front());
  }
}

TEST(CustodyChain, AttachmentsCountInTheVerdict) {
  ItemIntegrity result = Check(Chain(1));
  result.attachments.push_back({1, "a.jpg", std::string(64, 'a'), "intact"});
  EXPECT_TRUE(result.intact());
  result.attachments.push_back({2, "b.jpg", std::string(64, 'b'), "mismatch"});
  EXPECT_FALSE(result.intact());
}

TEST(Deployments, HoursFromAlertToDeployment) {
  Deployment d;
  d.alerted_at = 1795800000000;
  EXPECT_FALSE(HoursToDeploy(d).has_value());
  d.deployed_at = d.alerted_at + 5 * 3600 * 1000 + 15 * 60 * 1000;
  EXPECT_DOUBLE_EQ(*HoursToDeploy(d), 5.3);  // 5 h 15 min, one decimal
  d.deployed_at = d.alerted_at;
  EXPECT_DOUBLE_EQ(*HoursToDeploy(d), 0.0);
}

}  // namespace
}  // namespace psea::evidence
