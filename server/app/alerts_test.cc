#include "app/alerts.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "storage/migrations.h"
#include "storage/testing/test_databases.h"

namespace psea::app {
namespace {

using namespace std::chrono_literals;
using ::testing::HasSubstr;

// Records what it is given; while held, every Send waits for Release(); refuses the first
// `refusals` messages.
class FakeSender : public MailSender {
 public:
  struct Shared {
    std::mutex mutex;
    std::condition_variable changed;
    std::vector<std::string> sent;
    bool held = false;
    int in_send = 0;
    int refusals = 0;
  };
  explicit FakeSender(std::shared_ptr<Shared> shared) : shared_(std::move(shared)) {}
  Status Send(const std::string& message) override {
    std::unique_lock<std::mutex> lock(shared_->mutex);
    ++shared_->in_send;
    shared_->changed.notify_all();
    shared_->changed.wait(lock, [&] { return !shared_->held; });
    --shared_->in_send;
    shared_->changed.notify_all();
    if (shared_->refusals > 0) {
      --shared_->refusals;
      return Unavailable("the mail command exited with status 75");
    }
    shared_->sent.push_back(message);
    return Status::Ok();
  }

 private:
  std::shared_ptr<Shared> shared_;
};

// The queue on a real outbox, on each engine; the retry unit is 20 ms.
class MailQueueTest : public storage::testdb::EngineTest {
 protected:
  void SetUp() override {
    EngineTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    ASSERT_TRUE(
        storage::Migrate(db(), mail::MailOutbox::Migrations(), storage::InstanceKind::kProduction)
            .ok());
    outbox =
        std::make_unique<mail::MailOutbox>(db(), SystemClock::Instance(), mail::RetrySchedule{20});
  }
  std::unique_ptr<MailSender> Sender() { return std::make_unique<FakeSender>(shared); }
  void Hold(bool held) {
    std::lock_guard<std::mutex> lock(shared->mutex);
    shared->held = held;
    shared->changed.notify_all();
  }
  // Waits (at most 10 s) until `predicate` holds under the lock.
  template <typename P>
  bool WaitFor(P predicate) {
    std::unique_lock<std::mutex> lock(shared->mutex);
    return shared->changed.wait_for(lock, 10s, [&] { return predicate(*shared); });
  }
  std::int64_t Pending() {
    auto counts = outbox->Counts();
    return counts.ok() ? counts->pending : -1;
  }

  std::shared_ptr<FakeSender::Shared> shared = std::make_shared<FakeSender::Shared>();
  std::unique_ptr<mail::MailOutbox> outbox;
};

TEST_P(MailQueueTest, SendsInOrderOnItsOwnThread) {
  MailQueue queue(*outbox, Sender());
  EXPECT_TRUE(queue.Enqueue("one", "first"));
  EXPECT_TRUE(queue.Enqueue("two", "second"));
  ASSERT_TRUE(WaitFor([](auto& s) { return s.sent.size() == 2; }));
  EXPECT_EQ(shared->sent, (std::vector<std::string>{"first", "second"}));
  queue.Stop();
  EXPECT_EQ(queue.sent(), 2u);
  EXPECT_EQ(queue.dropped(), 0u);
  EXPECT_EQ(Pending(), 0);
}

TEST_P(MailQueueTest, ARefusedMessageArrivesAfterTheRetry) {
  shared->refusals = 2;
  MailQueue queue(*outbox, Sender());
  queue.Resume();
  ASSERT_TRUE(queue.Enqueue("urgent alert C-1", "the alert"));
  ASSERT_TRUE(WaitFor([](auto& s) { return s.sent.size() == 1; }));
  EXPECT_EQ(shared->sent[0], "the alert");
  queue.Stop();
  EXPECT_EQ(queue.failed(), 2u);
  EXPECT_EQ(queue.sent(), 1u);
  auto sent = outbox->List(mail::OutboxStatus::kSent, 10);
  ASSERT_TRUE(sent.ok());
  ASSERT_EQ(sent->size(), 1u);
  EXPECT_EQ((*sent)[0].attempts, 3);
}

TEST_P(MailQueueTest, TheServerResumesWhatAnEarlierRunLeft) {
  ASSERT_TRUE(outbox->Put("case reminders", "left by a crash").ok());
  MailQueue queue(*outbox, Sender());
  std::this_thread::sleep_for(100ms);
  EXPECT_TRUE(shared->sent.empty());  // a command-line tool sends only what it queues
  queue.Resume();
  ASSERT_TRUE(WaitFor([](auto& s) { return s.sent.size() == 1; }));
  queue.Stop();
}

TEST_P(MailQueueTest, EnqueueNeverWaitsForAHangingMailSystemAndStopLosesNothing) {
  Hold(true);
  {
    MailQueue queue(*outbox, Sender());
    ASSERT_TRUE(queue.Enqueue("busy", "in the sender"));
    ASSERT_TRUE(WaitFor([](auto& s) { return s.in_send == 1; }));
    const auto start = std::chrono::steady_clock::now();
    for (int i = 0; i < 100; ++i) EXPECT_TRUE(queue.Enqueue("alert", "m"));
    EXPECT_LT(std::chrono::steady_clock::now() - start, 5s);  // database writes only
    const auto stop = std::chrono::steady_clock::now();
    queue.Stop(200ms);
    EXPECT_LT(std::chrono::steady_clock::now() - stop, 2s);
    EXPECT_TRUE(queue.Enqueue("late", "after stop"));  // kept for the next process
    EXPECT_EQ(queue.dropped(), 0u);
  }
  EXPECT_EQ(Pending(), 102);  // all kept, the one in the sender too (its claim ends later)
  // The detached worker still owns the sender: releasing it now touches no freed memory.
  Hold(false);
  ASSERT_TRUE(WaitFor([](auto& s) { return s.sent.size() == 1; }));
}

TEST_P(MailQueueTest, AMessageTheOutboxCannotTakeWaitsInMemory) {
  if (engine() == storage::Engine::kPostgres) GTEST_SKIP() << "an unmigrated SQLite file suffices";
  storage::testdb::TemporaryFile file("mail-no-table");
  auto bare = storage::OpenDatabase(file.url(), 2);
  ASSERT_TRUE(bare.ok());
  mail::MailOutbox unmigrated(**bare, SystemClock::Instance(), mail::RetrySchedule{20});
  MailQueue queue(unmigrated, Sender(), 2);
  EXPECT_TRUE(queue.Enqueue("urgent alert C-1", "kept in memory"));
  EXPECT_TRUE(queue.Enqueue("urgent alert C-2", "kept in memory too"));
  EXPECT_FALSE(queue.Enqueue("urgent alert C-3", "no room"));
  EXPECT_EQ(queue.dropped(), 1u);
  ASSERT_TRUE(
      storage::Migrate(**bare, mail::MailOutbox::Migrations(), storage::InstanceKind::kProduction)
          .ok());
  ASSERT_TRUE(WaitFor([](auto& s) { return s.sent.size() == 2; }));
  queue.Stop();
}

TEST_P(MailQueueTest, TheTickRunsOnTheWorker) {
  MailQueue queue(*outbox, Sender(), 8, 10ms);
  std::atomic<int> ticks = 0;
  queue.SetTick([&] { ++ticks; });
  for (int i = 0; i < 500 && ticks < 3; ++i) std::this_thread::sleep_for(10ms);
  queue.Stop();
  EXPECT_GE(ticks.load(), 3);
}

TEST_P(MailQueueTest, RendersItsMetrics) {
  MailQueue queue(*outbox, Sender());
  ASSERT_TRUE(queue.Enqueue("one", "first"));
  ASSERT_TRUE(WaitFor([](auto& s) { return s.sent.size() == 1; }));
  queue.Stop();
  mail::OutboxCounts counts{3, 1};
  const std::string text = RenderMailMetrics(&queue, &counts);
  EXPECT_THAT(text, HasSubstr("\npsea_mail_sent_total 1\n"));
  EXPECT_THAT(text, HasSubstr("\npsea_mail_refused_total 0\n"));
  EXPECT_THAT(text, HasSubstr("psea_mail_outbox_messages{status=\"pending\"} 3\n"));
  EXPECT_THAT(text, HasSubstr("psea_mail_outbox_messages{status=\"failed\"} 1\n"));
  EXPECT_THAT(RenderMailMetrics(nullptr, nullptr), HasSubstr("psea_mail_dropped_total 0"));
}

TEST_P(MailQueueTest, AnchorMailerMailsTheHeadAtStartThenEveryDay) {
  MailQueue queue(*outbox, Sender());
  FakeClock clock(1'800'000'000'000);
  security::AuditAnchor head{41, std::string(64, 'a')};
  int reads = 0;
  AnchorMailer mailer(
      [&]() -> Result<security::AuditAnchor> {
        ++reads;
        return head;
      },
      clock, queue, "psea@mission.example", {"cdt@mission.example"});
  mailer.Poll();
  ASSERT_TRUE(WaitFor([](auto& s) { return s.sent.size() == 1; }));
  EXPECT_THAT(shared->sent[0], HasSubstr("psea audit verify --anchor 41:" + head.hash));
  EXPECT_THAT(shared->sent[0], HasSubstr("To: cdt@mission.example"));

  clock.Advance(AnchorMailer::kEveryMillis - 1);
  mailer.Poll();  // not yet a day
  EXPECT_EQ(reads, 1);
  head = {97, std::string(64, 'b')};
  clock.Advance(1);
  mailer.Poll();
  ASSERT_TRUE(WaitFor([](auto& s) { return s.sent.size() == 2; }));
  EXPECT_THAT(shared->sent[1], HasSubstr("psea audit verify --anchor 97:" + head.hash));
  queue.Stop();
}

TEST_P(MailQueueTest, AnchorMailerTriesAnUnreadableHeadAgainAtTheNextPoll) {
  MailQueue queue(*outbox, Sender());
  FakeClock clock(1'800'000'000'000);
  bool readable = false;
  AnchorMailer mailer(
      [&]() -> Result<security::AuditAnchor> {
        if (!readable) return Unavailable("database busy");
        return security::AuditAnchor{3, std::string(64, 'c')};
      },
      clock, queue, "psea@mission.example", {"cdt@mission.example"});
  mailer.Poll();
  readable = true;
  clock.Advance(60'000);
  mailer.Poll();
  ASSERT_TRUE(WaitFor([](auto& s) { return s.sent.size() == 1; }));
  queue.Stop();
}

PSEA_INSTANTIATE_ENGINE_TEST(MailQueueTest);

TEST(AlertsTest, SplitsAddresses) {
  EXPECT_EQ(SplitAddresses(" cdt@x.org, chief@x.org ,,"),
            (std::vector<std::string>{"cdt@x.org", "chief@x.org"}));
}

}  // namespace
}  // namespace psea::app
