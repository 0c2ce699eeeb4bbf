#include "modules/mail/service.h"

#include <gtest/gtest.h>

#include <deque>
#include <memory>

#include "storage/migrations.h"
#include "storage/testing/test_databases.h"

namespace psea::mail {
namespace {

constexpr std::int64_t kMinute = 60 * 1000;
constexpr std::int64_t kHour = 60 * kMinute;

TEST(RetryScheduleTest, OneFiveFifteenSixtyThenHourly) {
  const RetrySchedule schedule;  // a unit is a minute
  const std::pair<std::int64_t, std::int64_t> table[] = {
      {1, 1 * kMinute}, {2, 5 * kMinute}, {3, 15 * kMinute}, {4, kHour}, {5, kHour}, {30, kHour}};
  for (const auto& [attempts, delay] : table) {
    EXPECT_EQ(schedule.DelayAfter(attempts), delay) << "after attempt " << attempts;
  }
  EXPECT_EQ(schedule.GiveUpAfter(), 24 * kHour);
  EXPECT_EQ(schedule.ClaimLease(), 10 * kMinute);
  EXPECT_EQ(RetrySchedule{10}.DelayAfter(2), 50);
}

TEST(OutboxStatusTest, NamesRoundTrip) {
  for (auto status : {OutboxStatus::kPending, OutboxStatus::kSent, OutboxStatus::kFailed}) {
    EXPECT_EQ(*ParseOutboxStatus(OutboxStatusName(status)), status);
  }
  EXPECT_EQ(ParseOutboxStatus("queued").status().field(), "status");
}

// Answers each Send with the next scripted status (accepted once the script is empty) and
// keeps what it was given.
class ScriptedSender : public MailSender {
 public:
  std::deque<Status> script;
  std::vector<std::string> accepted;
  int calls = 0;
  Status Send(const std::string& message) override {
    ++calls;
    if (!script.empty()) {
      Status next = script.front();
      script.pop_front();
      if (!next.ok()) return next;
    }
    accepted.push_back(message);
    return Status::Ok();
  }
  void Refuse(int times) {
    for (int i = 0; i < times; ++i) script.push_back(Unavailable("exited with status 75"));
  }
};

class MailOutboxTest : public storage::testdb::EngineTest {
 protected:
  void SetUp() override {
    EngineTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    ASSERT_TRUE(
        storage::Migrate(db(), MailOutbox::Migrations(), storage::InstanceKind::kProduction).ok());
    outbox_ = std::make_unique<MailOutbox>(db(), clock_);
  }

  MailOutbox::RoundReport Round(ScriptedSender& sender) {
    auto report = outbox_->SendDue(sender);
    EXPECT_TRUE(report.ok()) << report.status().message();
    return report.ok() ? *report : MailOutbox::RoundReport{};
  }
  OutboxMessage Get(std::int64_t id) {
    auto message = outbox_->Get(id);
    EXPECT_TRUE(message.ok());
    return message.ok() ? *message : OutboxMessage{};
  }

  FakeClock clock_{1'800'000'000'000};
  std::unique_ptr<MailOutbox> outbox_;
};

TEST_P(MailOutboxTest, SendsAMessageOnceAndMarksItSent) {
  auto id = outbox_->Put("urgent alert C-1", "To: cdt@x.org\n\nbody\n");
  ASSERT_TRUE(id.ok());
  EXPECT_EQ(outbox_->Counts()->pending, 1);
  ScriptedSender sender;
  EXPECT_EQ(Round(sender).sent, 1);
  EXPECT_EQ(sender.accepted, (std::vector<std::string>{"To: cdt@x.org\n\nbody\n"}));
  EXPECT_EQ(Round(sender).sent, 0);  // never twice
  const auto stored = Get(*id);
  EXPECT_EQ(stored.status, OutboxStatus::kSent);
  EXPECT_EQ(stored.attempts, 1);
  EXPECT_EQ(stored.finished_at, clock_.Now());
  EXPECT_EQ(outbox_->Counts()->pending, 0);
}

TEST_P(MailOutboxTest, ARefusedMessageIsTriedAgainOnTheSchedule) {
  const std::int64_t id = *outbox_->Put("case reminders", "m");
  ScriptedSender sender;
  sender.Refuse(4);
  const UnixMillis queued = clock_.Now();
  // Refused at 0, then due 1, 5, 15 and 60 minutes after each refusal; accepted the fifth time.
  const std::int64_t waits[] = {kMinute, 5 * kMinute, 15 * kMinute, kHour};
  EXPECT_EQ(Round(sender).retried, 1);
  for (std::int64_t wait : waits) {
    auto stored = Get(id);
    EXPECT_EQ(stored.status, OutboxStatus::kPending);
    EXPECT_EQ(stored.next_attempt_at, clock_.Now() + wait);
    EXPECT_EQ(stored.last_error, "exited with status 75");
    clock_.Advance(wait - 1);
    EXPECT_EQ(Round(sender).retried + Round(sender).sent, 0) << "not due before " << wait;
    clock_.Advance(1);
    const auto round = Round(sender);
    EXPECT_EQ(round.retried + round.sent, 1);
  }
  const auto stored = Get(id);
  EXPECT_EQ(stored.status, OutboxStatus::kSent);
  EXPECT_EQ(stored.attempts, 5);
  EXPECT_EQ(stored.last_error, "");
  EXPECT_EQ(stored.created_at, queued);
  EXPECT_EQ(sender.accepted.size(), 1u);
}

TEST_P(MailOutboxTest, GivesUpAfterADayKeepsTheMessageAndRetriesOnRequest) {
  const std::int64_t id = *outbox_->Put("audit anchor", "the anchor");
  ScriptedSender sender;
  sender.Refuse(1000);
  const UnixMillis queued = clock_.Now();
  int attempts = 0;
  MailOutbox::RoundReport round;
  while (round.given_up == 0 && attempts < 100) {
    round = Round(sender);
    ++attempts;
    clock_.Set(Get(id).next_attempt_at);
  }
  // Refused at 0, 1, 6, 21 and 81 minutes, then hourly: the first refusal 24 hours after it
  // was queued gives up.
  auto stored = Get(id);
  EXPECT_EQ(stored.status, OutboxStatus::kFailed);
  EXPECT_GE(*stored.finished_at - queued, 24 * kHour);
  EXPECT_LT(*stored.finished_at - queued, 25 * kHour);
  EXPECT_EQ(stored.attempts, attempts);
  EXPECT_EQ(stored.message, "the anchor");  // kept
  EXPECT_EQ(outbox_->Counts()->failed, 1);
  clock_.Advance(10 * kHour);
  EXPECT_EQ(Round(sender).retried, 0);  // a failed message is not tried again by itself

  // `psea mail retry --id`: due now, with a fresh day.
  EXPECT_EQ(*outbox_->Retry(id), 1);
  EXPECT_EQ(outbox_->Retry(id + 1).status().code(), ErrorCode::kNotFound);
  sender.script.clear();
  EXPECT_EQ(Round(sender).sent, 1);
  EXPECT_EQ(Get(id).status, OutboxStatus::kSent);
  EXPECT_EQ(*outbox_->Retry(std::nullopt), 0);                          // no failed message left
  EXPECT_EQ(outbox_->Retry(id).status().code(), ErrorCode::kNotFound);  // sent: not again
}

TEST_P(MailOutboxTest, AnotherProcessResumesWhatIsPendingAfterARestart) {
  const std::int64_t first = *outbox_->Put("urgent alert C-1", "one");
  const std::int64_t second = *outbox_->Put("reader change", "two");
  ScriptedSender refusing;
  refusing.Refuse(1);
  // The first is refused; the second is claimed, then the process dies while sending it.
  EXPECT_EQ(outbox_->SendDue(refusing, 1)->retried, 1);
  auto claimed = outbox_->ClaimNext();
  ASSERT_TRUE(claimed.ok() && *claimed);
  EXPECT_EQ((*claimed)->id, second);
  outbox_.reset();

  auto pool = OpenAnother(2);
  ASSERT_TRUE(pool.ok());
  MailOutbox restarted(**pool, clock_);
  ScriptedSender sender;
  EXPECT_EQ(restarted.SendDue(sender)->sent, 0);  // the first not due yet, the second claimed
  clock_.Advance(kMinute);
  EXPECT_EQ(restarted.SendDue(sender)->sent, 1);
  clock_.Advance(RetrySchedule{}.ClaimLease());  // the dead process's claim ends
  EXPECT_EQ(restarted.SendDue(sender)->sent, 1);
  EXPECT_EQ(sender.accepted, (std::vector<std::string>{"one", "two"}));
  EXPECT_EQ(restarted.Get(first)->attempts, 2);
  EXPECT_EQ(restarted.Get(second)->attempts, 2);
}

TEST_P(MailOutboxTest, TwoProcessesNeverClaimTheSameMessage) {
  ASSERT_TRUE(outbox_->Put("a", "a").ok());
  auto pool = OpenAnother(2);
  ASSERT_TRUE(pool.ok());
  MailOutbox other(**pool, clock_);
  auto mine = outbox_->ClaimNext();
  ASSERT_TRUE(mine.ok() && *mine);
  auto theirs = other.ClaimNext();
  ASSERT_TRUE(theirs.ok());
  EXPECT_FALSE(*theirs);
}

TEST_P(MailOutboxTest, AMessagePutInATransactionExistsOnlyIfItCommits) {
  const Status rolled_back = db().WriteTransaction([&](storage::Connection& c) -> Status {
    RETURN_IF_ERROR(outbox_->Put(c, "case reminders", "rolled back").status());
    return Unavailable("the caller's change failed");
  });
  EXPECT_FALSE(rolled_back.ok());
  EXPECT_EQ(outbox_->Counts()->pending, 0);
  ASSERT_TRUE(db().WriteTransaction([&](storage::Connection& c) {
                    return outbox_->Put(c, "case reminders", "kept").status();
                  })
                  .ok());
  auto listed = outbox_->List(OutboxStatus::kPending, 10);
  ASSERT_TRUE(listed.ok());
  ASSERT_EQ(listed->size(), 1u);
  EXPECT_EQ((*listed)[0].message, "kept");
}

TEST_P(MailOutboxTest, ListsCountsAndForgetsSentMessagesAfterAMonth) {
  for (const char* label : {"m0", "m1", "m2"}) ASSERT_TRUE(outbox_->Put(label, "x").ok());
  ScriptedSender sender;
  sender.Refuse(1);
  Round(sender);  // one refused, two sent
  EXPECT_EQ(outbox_->Counts()->pending, 1);
  EXPECT_EQ(outbox_->List(OutboxStatus::kSent, 10)->size(), 2u);
  auto all = outbox_->List(std::nullopt, 10);
  ASSERT_EQ(all->size(), 3u);
  EXPECT_EQ((*all)[0].label, "m2");  // newest first
  EXPECT_EQ(**outbox_->DueIn(), kMinute);
  clock_.Advance(MailOutbox::kKeepSentMillis);
  EXPECT_EQ(*outbox_->PurgeSent(), 0);  // not yet a month ago
  clock_.Advance(1);
  EXPECT_EQ(*outbox_->PurgeSent(), 2);
  EXPECT_EQ(outbox_->List(std::nullopt, 10)->size(), 1u);  // the pending one stays
}

PSEA_INSTANTIATE_ENGINE_TEST(MailOutboxTest);

}  // namespace
}  // namespace psea::mail
