// The audit chain on both engines. Tampering is done the way an attacker holding the
// database's credentials would: straight in SQL, after dropping the append-only triggers.
#include "security/audit.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <functional>
#include <string>
#include <thread>
#include <vector>

#include "storage/testing/test_databases.h"

namespace psea::security {
namespace {

using storage::Connection;
using storage::Engine;
using storage::Value;
using ::testing::HasSubstr;

constexpr UnixMillis kStart = 1795883729000;  // 2026-11-28T16:35:29Z
constexpr int kEntries = 5;

AuditEvent Event(int number) {
  AuditEvent event;
  event.actor_user_id = number % 2 == 0 ? std::optional<std::int64_t>(number) : std::nullopt;
  event.actor = number % 2 == 0 ? "user" + std::to_string(number) : "cli";
  event.action = number % 3 == 0 ? "user.create" : "auth.login";
  event.object_type = "user";
  event.object_id = std::to_string(100 + number);
  event.request_id = "req-" + std::to_string(number);
  event.details = number == 1 ? "" : "{\"n\":" + std::to_string(number) + "}";
  return event;
}

class AuditTest : public storage::testdb::EngineTest {
 protected:
  void SetUp() override {
    EngineTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    auto migrated =
        storage::Migrate(db(), AuditLog::Migrations(), storage::InstanceKind::kProduction);
    ASSERT_TRUE(migrated.ok()) << migrated.status().ToString();
  }

 public:
  // Public so that the tampering table below can reach them.
  using EngineTest::db;

  // Appends `count` entries, each in its own write transaction, one second apart.
  void AppendEntries(int count) {
    for (int number = 1; number <= count; ++number) {
      clock_.Advance(1000);
      const Status appended =
          db().WriteTransaction([&](Connection& c) { return audit_.Append(c, Event(number)); });
      ASSERT_TRUE(appended.ok()) << appended.ToString();
    }
  }

  AuditVerification Verify() {
    auto verification = AuditLog::Verify(db());
    EXPECT_TRUE(verification.ok()) << verification.status().ToString();
    if (verification.ok()) return *verification;
    AuditVerification failed;
    failed.ok = false;
    failed.entries_checked = failed.first_bad_id = -1;
    failed.problem = "error";
    return failed;
  }

  Status Execute(const std::string& sql, const storage::Params& params = {}) {
    auto lease = db().Acquire();
    if (!lease.ok()) return lease.status();
    return (*lease)->Execute(sql, params).status();
  }

  Status RunScript(const std::string& sql) {
    auto lease = db().Acquire();
    if (!lease.ok()) return lease.status();
    return (*lease)->ExecuteScript(sql);
  }

  Status DropAppendOnlyTriggers() {
    return RunScript(engine() == Engine::kSqlite
                         ? "DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete;"
                         : "DROP TRIGGER audit_log_no_change ON audit_log;");
  }

  // Exchanges every column but the id of two entries: the same entries, in another order.
  Status SwapContents(std::int64_t first, std::int64_t second) {
    return db().WriteTransaction([&](Connection& c) -> Status {
      const std::string columns =
          "ts, actor_user_id, actor, action, object_type, object_id, request_id, details, "
          "prev_hash, hash";
      ASSIGN_OR_RETURN(
          auto a, c.QueryOne("SELECT " + columns + " FROM audit_log WHERE id = ?", {Value(first)}));
      ASSIGN_OR_RETURN(auto b, c.QueryOne("SELECT " + columns + " FROM audit_log WHERE id = ?",
                                          {Value(second)}));
      if (!a || !b) return NotFound("entry to swap is missing");
      const std::string update =
          "UPDATE audit_log SET ts = ?, actor_user_id = ?, actor = ?, action = ?, "
          "object_type = ?, object_id = ?, request_id = ?, details = ?, prev_hash = ?, "
          "hash = ? WHERE id = ?";
      auto params_of = [](const storage::Row& row, std::int64_t id) {
        storage::Params params;
        for (std::size_t column = 0; column < row.size(); ++column)
          params.push_back(row.At(column));
        params.push_back(Value(id));
        return params;
      };
      RETURN_IF_ERROR(c.Execute(update, params_of(*b, first)));
      RETURN_IF_ERROR(c.Execute(update, params_of(*a, second)));
      return Status::Ok();
    });
  }

 protected:
  FakeClock clock_{kStart};
  AuditLog audit_{clock_};
};

TEST_P(AuditTest, EmptyChainVerifies) {
  const AuditVerification verification = Verify();
  EXPECT_TRUE(verification.ok) << verification.problem;
  EXPECT_EQ(verification.entries_checked, 0);
}

TEST_P(AuditTest, AppendedChainVerifies) {
  AppendEntries(kEntries);
  const AuditVerification verification = Verify();
  EXPECT_TRUE(verification.ok) << verification.problem;
  EXPECT_EQ(verification.entries_checked, kEntries);
  EXPECT_EQ(verification.first_bad_id, 0);
}

TEST_P(AuditTest, EntriesAreLinkedAndStoredAsAppended) {
  AppendEntries(kEntries);
  auto lease = db().Acquire();
  ASSERT_TRUE(lease.ok());
  AuditFilter all;
  auto entries = AuditLog::Query(**lease, all);
  ASSERT_TRUE(entries.ok()) << entries.status().ToString();
  ASSERT_EQ(entries->size(), static_cast<std::size_t>(kEntries));
  // Newest first; ids count from 1; each entry names its predecessor's hash.
  std::string previous_hash(64, '0');
  for (int number = 1; number <= kEntries; ++number) {
    const AuditEntry& entry = (*entries)[kEntries - number];
    EXPECT_EQ(entry.id, number);
    EXPECT_EQ(entry.ts, kStart + number * 1000);
    EXPECT_EQ(entry.event.actor, Event(number).actor);
    EXPECT_EQ(entry.event.actor_user_id, Event(number).actor_user_id);
    EXPECT_EQ(entry.event.request_id, Event(number).request_id);
    EXPECT_EQ(entry.event.details, number == 1 ? "{}" : Event(number).details);
    EXPECT_EQ(entry.prev_hash, previous_hash);
    EXPECT_EQ(entry.hash, AuditLog::ComputeHash(entry));
    EXPECT_EQ(entry.hash.size(), 64u);
    previous_hash = entry.hash;
  }
}

TEST_P(AuditTest, QueryFilters) {
  AppendEntries(kEntries);
  auto lease = db().Acquire();
  ASSERT_TRUE(lease.ok());
  struct Case {
    const char* label;
    std::function<void(AuditFilter&)> set;
    std::vector<std::int64_t> ids;  // newest first
  };
  const Case cases[] = {
      {"action", [](AuditFilter& f) { f.action = "user.create"; }, {3}},
      {"actor", [](AuditFilter& f) { f.actor = "cli"; }, {5, 3, 1}},
      {"object",
       [](AuditFilter& f) {
         f.object_type = "user";
         f.object_id = "104";
       },
       {4}},
      {"from", [](AuditFilter& f) { f.from = kStart + 4000; }, {5, 4}},
      {"to", [](AuditFilter& f) { f.to = kStart + 3000; }, {2, 1}},
      {"before_id", [](AuditFilter& f) { f.before_id = 3; }, {2, 1}},
      {"limit", [](AuditFilter& f) { f.limit = 2; }, {5, 4}},
      {"no match", [](AuditFilter& f) { f.action = "vault.open"; }, {}},
  };
  for (const Case& c : cases) {
    AuditFilter filter;
    c.set(filter);
    auto entries = AuditLog::Query(**lease, filter);
    ASSERT_TRUE(entries.ok()) << c.label << ": " << entries.status().ToString();
    std::vector<std::int64_t> ids;
    for (const AuditEntry& entry : *entries) ids.push_back(entry.id);
    EXPECT_EQ(ids, c.ids) << c.label;
  }
}

TEST_P(AuditTest, AppendRollsBackWithItsTransaction) {
  AppendEntries(2);
  const Status failed = db().WriteTransaction([&](Connection& c) -> Status {
    RETURN_IF_ERROR(audit_.Append(c, Event(3)));
    return Unprocessable("the recorded change failed");
  });
  EXPECT_EQ(failed.code(), ErrorCode::kUnprocessable);
  ASSERT_TRUE(audit_.AppendNow(db(), Event(4)).ok());
  const AuditVerification verification = Verify();
  EXPECT_TRUE(verification.ok) << verification.problem;
  EXPECT_EQ(verification.entries_checked, 3);
}

TEST_P(AuditTest, ConcurrentAppendsKeepTheChainWhole) {
  constexpr int kThreads = 4;
  constexpr int kPerThread = 20;
  std::vector<std::thread> threads;
  std::vector<Status> failures(kThreads);
  for (int thread = 0; thread < kThreads; ++thread) {
    threads.emplace_back([&, thread] {
      for (int i = 0; i < kPerThread; ++i) {
        const Status appended = audit_.AppendNow(db(), Event(thread * kPerThread + i));
        if (!appended.ok()) failures[thread] = appended;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  for (const Status& failure : failures) EXPECT_TRUE(failure.ok()) << failure.ToString();
  const AuditVerification verification = Verify();
  EXPECT_TRUE(verification.ok) << verification.problem;
  EXPECT_EQ(verification.entries_checked, kThreads * kPerThread);
}

TEST_P(AuditTest, TriggersRefuseUpdateAndDelete) {
  AppendEntries(kEntries);
  EXPECT_FALSE(Execute("UPDATE audit_log SET action = 'user.delete' WHERE id = 3").ok());
  EXPECT_FALSE(Execute("DELETE FROM audit_log WHERE id = 3").ok());
  EXPECT_FALSE(Execute("DELETE FROM audit_log").ok());
  auto lease = db().Acquire();
  ASSERT_TRUE(lease.ok());
  auto row = (*lease)->QueryOne("SELECT action FROM audit_log WHERE id = 3");
  ASSERT_TRUE(row.ok() && row->has_value());
  EXPECT_EQ((*row)->Text(0), Event(3).action);
  const AuditVerification verification = Verify();
  EXPECT_TRUE(verification.ok) << verification.problem;
  EXPECT_EQ(verification.entries_checked, kEntries);
}

struct TamperCase {
  const char* label;
  std::function<Status(AuditTest&)> tamper;
  std::int64_t first_bad_id;
  const char* problem;
};

TEST_P(AuditTest, TamperingIsDetectedWhereItHappened) {
  // An attacker who recomputes the altered entry's hash moves the break to the next entry.
  auto alter_and_rehash = [](AuditTest& test) -> Status {
    return test.db().WriteTransaction([](Connection& c) -> Status {
      AuditFilter third;
      third.before_id = 4;
      third.limit = 1;
      auto entries = AuditLog::Query(c, third);
      if (!entries.ok()) return entries.status();
      AuditEntry entry = entries->front();
      entry.event.action = "user.delete";
      entry.hash = AuditLog::ComputeHash(entry);
      return c
          .Execute("UPDATE audit_log SET action = ?, hash = ? WHERE id = 3",
                   {Value(entry.event.action), Value(entry.hash)})
          .status();
    });
  };
  const TamperCase cases[] = {
      {"alter a field of entry 3",
       [](AuditTest& t) { return t.Execute("UPDATE audit_log SET action = 'x' WHERE id = 3"); }, 3,
       "entry 3 was altered"},
      {"alter the time of entry 3",
       [](AuditTest& t) { return t.Execute("UPDATE audit_log SET ts = ts + 1 WHERE id = 3"); }, 3,
       "entry 3 was altered"},
      {"clear the actor id of entry 4",
       [](AuditTest& t) {
         return t.Execute("UPDATE audit_log SET actor_user_id = NULL WHERE id = 4");
       },
       4, "entry 4 was altered"},
      {"alter and rehash entry 3", alter_and_rehash, 4, "entry 4 does not follow"},
      {"delete entry 3",
       [](AuditTest& t) { return t.Execute("DELETE FROM audit_log WHERE id = 3"); }, 3,
       "entry 3 is missing"},
      {"swap entries 2 and 3", [](AuditTest& t) { return t.SwapContents(2, 3); }, 2,
       "entry 2 does not follow"},
      {"delete the last entry",
       [](AuditTest& t) { return t.Execute("DELETE FROM audit_log WHERE id = 5"); }, 5,
       "entries after 4 were removed"},
      {"delete every entry", [](AuditTest& t) { return t.Execute("DELETE FROM audit_log"); }, 1,
       "entries after 0 were removed"},
  };
  for (const TamperCase& c : cases) {
    SCOPED_TRACE(c.label);
    // A fresh chain for each case.
    ASSERT_TRUE(RunScript("DROP TABLE audit_log; DROP TABLE audit_head; DROP TABLE audit_base;"
                          "DROP TABLE schema_migrations; DROP TABLE instance;")
                    .ok());
    if (engine() == Engine::kPostgres) {
      ASSERT_TRUE(RunScript("DROP FUNCTION audit_log_append_only();").ok());
    }
    auto migrated =
        storage::Migrate(db(), AuditLog::Migrations(), storage::InstanceKind::kProduction);
    ASSERT_TRUE(migrated.ok()) << migrated.status().ToString();
    AppendEntries(kEntries);
    ASSERT_TRUE(Verify().ok);

    ASSERT_TRUE(DropAppendOnlyTriggers().ok());
    const Status tampered = c.tamper(*this);
    ASSERT_TRUE(tampered.ok()) << tampered.ToString();

    const AuditVerification verification = Verify();
    EXPECT_FALSE(verification.ok);
    EXPECT_EQ(verification.first_bad_id, c.first_bad_id) << verification.problem;
    EXPECT_THAT(verification.problem, HasSubstr(c.problem));
  }
}

// Cuts the chain after entry `keep` and rewinds the head to it, as someone who wants a tail
// of the log gone would: the rest still verifies on its own.
Status CutAfter(AuditTest& test, std::int64_t keep) {
  RETURN_IF_ERROR(test.DropAppendOnlyTriggers());
  return test.db().WriteTransaction([&](Connection& c) -> Status {
    ASSIGN_OR_RETURN(auto kept, c.QueryOne("SELECT hash FROM audit_log WHERE id = ?", {keep}));
    const std::string hash = kept ? kept->Text(0) : std::string(64, '0');
    RETURN_IF_ERROR(c.Execute("DELETE FROM audit_log WHERE id > ?", {keep}));
    return c.Execute("UPDATE audit_head SET last_id = ?, last_hash = ?", {keep, hash}).status();
  });
}

TEST_P(AuditTest, HeadIsTheLastEntry) {
  auto lease = db().Acquire();
  ASSERT_TRUE(lease.ok());
  auto empty = AuditLog::Head(**lease);
  ASSERT_TRUE(empty.ok()) << empty.status().ToString();
  EXPECT_EQ(*empty, (AuditAnchor{0, std::string(64, '0')}));
  AppendEntries(kEntries);
  auto head = AuditLog::Head(**lease);
  ASSERT_TRUE(head.ok()) << head.status().ToString();
  auto last = (*lease)->QueryOne("SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1");
  ASSERT_TRUE(last.ok() && last->has_value());
  EXPECT_EQ(*head, (AuditAnchor{(*last)->Int(0), (*last)->Text(1)}));
  EXPECT_EQ(Verify().head, *head);
}

TEST_P(AuditTest, AnAnchorOfTheChainHoldsAsItGrows) {
  AuditAnchor empty_head = Verify().head;
  AppendEntries(3);
  const AuditAnchor third = Verify().head;
  AppendEntries(2);
  for (const AuditAnchor& anchor : {empty_head, third, Verify().head}) {
    auto verification = AuditLog::Verify(db(), anchor);
    ASSERT_TRUE(verification.ok()) << verification.status().ToString();
    EXPECT_TRUE(verification->ok) << FormatAuditAnchor(anchor) << ": " << verification->problem;
    EXPECT_TRUE(verification->anchor_checked);
    EXPECT_EQ(verification->entries_checked, 5);
  }
}

TEST_P(AuditTest, CuttingTheTailFailsVerifyWithTheAnchor) {
  AppendEntries(kEntries);
  const AuditAnchor anchor = Verify().head;
  ASSERT_TRUE(CutAfter(*this, 3).ok());
  // Without the anchor a clean cut with a rewound head looks like a shorter chain.
  EXPECT_TRUE(Verify().ok);
  auto verification = AuditLog::Verify(db(), anchor);
  ASSERT_TRUE(verification.ok()) << verification.status().ToString();
  EXPECT_FALSE(verification->ok);
  EXPECT_FALSE(verification->anchor_checked);
  EXPECT_THAT(verification->problem, HasSubstr("before the anchored entry 5"));

  // Appending again past the anchor's id does not bring entry 5 back.
  AppendEntries(3);
  verification = AuditLog::Verify(db(), anchor);
  ASSERT_TRUE(verification.ok()) << verification.status().ToString();
  EXPECT_FALSE(verification->ok);
  EXPECT_EQ(verification->first_bad_id, 5);
  EXPECT_THAT(verification->problem, HasSubstr("does not match the anchor"));
}

TEST_P(AuditTest, AnEntryPastTheHeadFailsVerify) {
  AppendEntries(kEntries);
  // Entry 6, well formed and linked to entry 5, but the head was not moved.
  AuditEntry extra;
  extra.id = kEntries + 1;
  extra.ts = kStart + 10'000;
  extra.event = Event(6);
  extra.prev_hash = Verify().head.hash;
  extra.hash = AuditLog::ComputeHash(extra);
  ASSERT_TRUE(
      Execute("INSERT INTO audit_log (id, ts, actor_user_id, actor, action, object_type, "
              "object_id, request_id, details, prev_hash, hash) "
              "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
              {extra.id, extra.ts, storage::Opt(extra.event.actor_user_id), extra.event.actor,
               extra.event.action, extra.event.object_type, extra.event.object_id,
               extra.event.request_id, extra.event.details, extra.prev_hash, extra.hash})
          .ok());
  AuditVerification verification = Verify();
  EXPECT_FALSE(verification.ok);
  EXPECT_EQ(verification.first_bad_id, kEntries + 1);
  EXPECT_THAT(verification.problem, HasSubstr("lies past the head (entry 5)"));

  // A head rewound below entries that are still there.
  ASSERT_TRUE(DropAppendOnlyTriggers().ok());
  ASSERT_TRUE(Execute("DELETE FROM audit_log WHERE id = 6").ok());
  ASSERT_TRUE(Verify().ok);
  ASSERT_TRUE(
      db().WriteTransaction([](Connection& c) -> Status {
            ASSIGN_OR_RETURN(auto third, c.QueryOne("SELECT hash FROM audit_log WHERE id = 3"));
            return c.Execute("UPDATE audit_head SET last_id = 3, last_hash = ?", {third->Text(0)})
                .status();
          })
          .ok());
  verification = Verify();
  EXPECT_FALSE(verification.ok);
  EXPECT_EQ(verification.first_bad_id, 4);
  EXPECT_THAT(verification.problem, HasSubstr("lies past the head (entry 3)"));
}

TEST_P(AuditTest, ARewrittenChainWithConsistentHashesFailsVerifyWithTheAnchor) {
  AppendEntries(kEntries);
  const AuditAnchor anchor = Verify().head;
  // The attacker empties the log and appends a history of their own through the same code:
  // every hash is consistent and the head matches.
  ASSERT_TRUE(CutAfter(*this, 0).ok());
  for (int number = 1; number <= kEntries; ++number) {
    AuditEvent event = Event(number);
    if (number == 2) event.action = "auth.logout";  // the one entry they wanted different
    ASSERT_TRUE(audit_.AppendNow(db(), event).ok());
  }
  const AuditVerification plain = Verify();
  EXPECT_TRUE(plain.ok) << plain.problem;
  EXPECT_NE(plain.head, anchor);

  auto verification = AuditLog::Verify(db(), anchor);
  ASSERT_TRUE(verification.ok()) << verification.status().ToString();
  EXPECT_FALSE(verification->ok);
  EXPECT_EQ(verification->first_bad_id, kEntries);
  EXPECT_THAT(verification->problem, HasSubstr("entry 5 does not match the anchor"));
}

TEST_P(AuditTest, VerifyDuringAppendsNeverRaisesAFalseAlarm) {
  AppendEntries(kEntries);
  std::atomic<bool> done{false};
  Status append_failure;
  std::thread writer([&] {
    for (int number = 0; number < 200 && append_failure.ok(); ++number) {
      append_failure = audit_.AppendNow(db(), Event(number));
    }
    done = true;
  });
  int runs = 0;
  while (!done || runs == 0) {
    const AuditVerification verification = Verify();
    ASSERT_TRUE(verification.ok) << "run " << runs << ": " << verification.problem;
    ++runs;
  }
  writer.join();
  EXPECT_TRUE(append_failure.ok()) << append_failure.ToString();
  EXPECT_EQ(Verify().entries_checked, kEntries + 200);
}

// Retention removes the oldest entries only, below a base that Verify then starts from.
TEST_P(AuditTest, PurgeKeepsTheChainVerifiableFromItsBase) {
  AppendEntries(kEntries);  // entries 1..5 at kStart + 1 s .. + 5 s
  auto lease = db().Acquire();
  ASSERT_TRUE(lease.ok());
  // Entries older than kStart + 3.5 s: 1, 2 and 3.
  auto count = AuditLog::CountPurgeable(**lease, kStart + 3500);
  ASSERT_TRUE(count.ok()) << count.status().ToString();
  EXPECT_EQ(*count, 3);
  auto entry3 = (*lease)->QueryOne("SELECT hash FROM audit_log WHERE id = 3");
  ASSERT_TRUE(entry3.ok() && entry3->has_value());
  const std::string hash3 = (*entry3)->Text(0);
  Status purged = db().WriteTransaction([&](Connection& c) -> Status {
    ASSIGN_OR_RETURN(std::int64_t removed, AuditLog::PurgeBefore(c, kStart + 3500));
    EXPECT_EQ(removed, 3);
    return Status::Ok();
  });
  ASSERT_TRUE(purged.ok()) << purged.ToString();
  AuditVerification verification = Verify();
  EXPECT_TRUE(verification.ok) << verification.problem;
  EXPECT_EQ(verification.entries_checked, 2);
  EXPECT_EQ(verification.base, (AuditAnchor{3, hash3}));
  // An anchor at the base still checks; one below it names a removed entry.
  auto at_base = AuditLog::Verify(db(), AuditAnchor{3, hash3});
  ASSERT_TRUE(at_base.ok());
  EXPECT_TRUE(at_base->ok && at_base->anchor_checked) << at_base->problem;
  auto below = AuditLog::Verify(db(), AuditAnchor{2, hash3});
  ASSERT_TRUE(below.ok());
  EXPECT_FALSE(below->ok);
  // Entries above the base still cannot be deleted; appending goes on from the head.
  EXPECT_FALSE(Execute("DELETE FROM audit_log WHERE id = 4").ok());
  AppendEntries(1);
  verification = Verify();
  EXPECT_TRUE(verification.ok) << verification.problem;
  EXPECT_EQ(verification.entries_checked, 3);
}

TEST_P(AuditTest, PurgeNeverRemovesTheHead) {
  AppendEntries(kEntries);
  Status purged = db().WriteTransaction([&](Connection& c) -> Status {
    ASSIGN_OR_RETURN(std::int64_t removed, AuditLog::PurgeBefore(c, kStart + 1'000'000));
    EXPECT_EQ(removed, kEntries - 1);
    ASSIGN_OR_RETURN(std::int64_t again, AuditLog::PurgeBefore(c, kStart + 1'000'000));
    EXPECT_EQ(again, 0);
    return Status::Ok();
  });
  ASSERT_TRUE(purged.ok()) << purged.ToString();
  const AuditVerification verification = Verify();
  EXPECT_TRUE(verification.ok) << verification.problem;
  EXPECT_EQ(verification.entries_checked, 1);
}

TEST_P(AuditTest, AnEntryPutBackBelowTheBaseFailsVerify) {
  AppendEntries(kEntries);
  ASSERT_TRUE(db().WriteTransaction([&](Connection& c) {
                    return AuditLog::PurgeBefore(c, kStart + 2500).status();
                  })
                  .ok());
  ASSERT_TRUE(DropAppendOnlyTriggers().ok());
  ASSERT_TRUE(Execute("INSERT INTO audit_log (id, ts, actor, action, object_type, object_id, "
                      "request_id, details, prev_hash, hash) VALUES (1, 0, 'x', 'y', '', '', '', "
                      "'{}', '', '')")
                  .ok());
  const AuditVerification verification = Verify();
  EXPECT_FALSE(verification.ok);
  EXPECT_EQ(verification.first_bad_id, 1);
}

PSEA_INSTANTIATE_ENGINE_TEST(AuditTest);

TEST(AuditAnchorTest, ParsesWhatFormatPrints) {
  const AuditAnchor anchor{1234, std::string(32, 'a') + std::string(32, '7')};
  auto parsed = ParseAuditAnchor(FormatAuditAnchor(anchor));
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  EXPECT_EQ(*parsed, anchor);
  // Upper-case hex, as a person may copy it, reads as the stored lower case.
  parsed = ParseAuditAnchor("1234:" + std::string(32, 'A') + std::string(32, '7'));
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(*parsed, anchor);
  parsed = ParseAuditAnchor("0:" + std::string(64, '0'));
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed->id, 0);
}

TEST(AuditAnchorTest, RefusesMalformedAnchors) {
  const std::string hash(64, 'b');
  const std::string malformed[] = {
      "",
      "12",
      ":" + hash,
      "12:",
      "12" + hash,
      "-1:" + hash,
      "+1:" + hash,
      "1 :" + hash,
      "1:" + hash + "0",
      "1:" + hash.substr(1),
      "1:" + hash.substr(1) + "g",
      "1:" + hash + "\n",
      "12345678901234567890:" + hash,
      "0x1:" + hash,
  };
  for (const std::string& text : malformed) {
    auto parsed = ParseAuditAnchor(text);
    ASSERT_FALSE(parsed.ok()) << "'" << text << "'";
    EXPECT_EQ(parsed.status().code(), ErrorCode::kInvalidArgument) << text;
    EXPECT_EQ(parsed.status().field(), "anchor");
  }
}

TEST(AuditHashTest, EveryFieldIsCovered) {
  AuditEntry base;
  base.id = 7;
  base.ts = kStart;
  base.event = Event(2);
  base.prev_hash = std::string(64, 'a');
  const std::string hash = AuditLog::ComputeHash(base);
  EXPECT_EQ(hash, AuditLog::ComputeHash(base));
  EXPECT_EQ(hash.size(), 64u);

  const std::vector<std::function<void(AuditEntry&)>> changes = {
      [](AuditEntry& e) { e.id = 8; },
      [](AuditEntry& e) { e.ts += 1; },
      [](AuditEntry& e) { e.event.actor_user_id = 3; },
      [](AuditEntry& e) { e.event.actor_user_id = std::nullopt; },
      [](AuditEntry& e) { e.event.actor = "other"; },
      [](AuditEntry& e) { e.event.action = "other"; },
      [](AuditEntry& e) { e.event.object_type = "other"; },
      [](AuditEntry& e) { e.event.object_id = "other"; },
      [](AuditEntry& e) { e.event.request_id = "other"; },
      [](AuditEntry& e) { e.event.details = "{}"; },
      [](AuditEntry& e) { e.prev_hash = std::string(64, 'b'); },
  };
  for (std::size_t i = 0; i < changes.size(); ++i) {
    AuditEntry changed = base;
    changes[i](changed);
    EXPECT_NE(AuditLog::ComputeHash(changed), hash) << "change " << i;
  }
  // The stored hash itself is not an input.
  AuditEntry with_hash = base;
  with_hash.hash = "anything";
  EXPECT_EQ(AuditLog::ComputeHash(with_hash), hash);
}

TEST(AuditHashTest, FieldBoundariesMatter) {
  AuditEntry first;
  first.event.actor = "ab";
  first.event.action = "c";
  AuditEntry second = first;
  second.event.actor = "a";
  second.event.action = "bc";
  EXPECT_NE(AuditLog::ComputeHash(first), AuditLog::ComputeHash(second));
}

}  // namespace
}  // namespace psea::security
