// Organisation units on both engines: the default units, matching the partner text of plans
// to them, and focal points.
#include "modules/units/service.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "security/crypto.h"
#include "storage/testing/test_databases.h"

namespace psea::units {
namespace {

using security::Principal;
using security::Role;
using ::testing::ElementsAre;
using ::testing::IsEmpty;

Principal Chief() {
  Principal principal;
  principal.user_id = 1;
  principal.username = "chief";
  principal.role = Role::kCdtChief;
  return principal;
}

// Three units, by hand, for the matching rules alone.
std::vector<Unit> HandMadeUnits() {
  return {{1, "CDT", "Conduct and Discipline Team", {"MINUSCA CDT", "[CDT]"}, {}},
          {2, "FORCE", "Force", {"MINUSCA Force", "FC"}, {}},
          {3, "POLICE", "Police", {"UNPOL"}, {}}};
}

TEST(MatchAgainstTest, MatchesCodesNamesAndAliasesIgnoringCase) {
  const auto units = HandMadeUnits();
  const struct {
    const char* text;
    std::vector<std::int64_t> ids;
    std::vector<std::string> unmatched;
  } cases[] = {
      {"CDT", {1}, {}},
      {"cdt", {1}, {}},
      {"conduct and discipline team", {1}, {}},
      {"MINUSCA CDT", {1}, {}},
      {"[CDT]", {1}, {}},
      {"MINUSCA Force and Police", {2, 3}, {}},
      {"MINUSCA Police", {3}, {}},  // "MINUSCA " is dropped when the rest is a unit
      {"FC; UNPOL; CDT", {2, 3, 1}, {}},
      {"CDT; [CDT], cdt", {1}, {}},
      {"Police and Ministry of Justice", {3}, {"Police and Ministry of Justice"}},
      {"Ministry of Justice; Ministry of Justice", {}, {"Ministry of Justice"}},
      {"CDT, etc.", {1}, {}},
      {"[CDT] - coordination", {1}, {}},
      {"Members - [CDT]", {1}, {}},  // "members" is a filler word
      // En dashes are trimmed whole, never the last byte of a letter (\xC3\x80 is "À").
      {"\xE2\x80\x93 FC \xE2\x80\x93", {2}, {}},
      {"Comit\xC3\xA9 \xE2\x80\x93 ONG; Comit\xC3\xA9 \xC3\x80",
       {},
       {"Comit\xC3\xA9 \xE2\x80\x93 ONG", "Comit\xC3\xA9 \xC3\x80"}},
      {"", {}, {}},
      {" ;; , ", {}, {}},
  };
  for (const auto& c : cases) {
    const UnitMatch match = UnitsService::MatchAgainst(units, c.text);
    EXPECT_EQ(match.unit_ids, c.ids) << c.text;
    EXPECT_EQ(match.unmatched, c.unmatched) << c.text;
  }
}

class UnitsServiceTest : public storage::testdb::EngineTest {
 protected:
  static void SetUpTestSuite() {
    security::InitCrypto();
    EngineTest::SetUpTestSuite();
  }

  void SetUp() override {
    EngineTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    std::vector<storage::Migration> migrations = security::AuditLog::Migrations();
    for (auto& m : UnitsService::Migrations()) migrations.push_back(m);
    auto migrated = storage::Migrate(db(), migrations, storage::InstanceKind::kProduction);
    ASSERT_TRUE(migrated.ok()) << migrated.status().ToString();
    units_ = std::make_unique<UnitsService>(db(), clock_, audit_);
  }

  std::int64_t IdOf(const std::string& code) {
    auto list = units_->List();
    EXPECT_TRUE(list.ok());
    if (list.ok()) {
      for (const auto& unit : *list) {
        if (unit.code == code) return unit.id;
      }
    }
    ADD_FAILURE() << "no unit " << code;
    return 0;
  }

  std::vector<std::string> Codes(const std::vector<std::int64_t>& ids) {
    std::vector<std::string> codes;
    auto list = units_->List();
    EXPECT_TRUE(list.ok());
    for (std::int64_t id : ids) {
      for (const auto& unit : *list) {
        if (unit.id == id) codes.push_back(unit.code);
      }
    }
    return codes;
  }

  std::vector<security::AuditEntry> AuditEntries(const std::string& action) {
    auto entries = db().Read<std::vector<security::AuditEntry>>([&](storage::Connection& c) {
      security::AuditFilter filter;
      filter.action = action;
      return security::AuditLog::Query(c, filter);
    });
    EXPECT_TRUE(entries.ok());
    return entries.ok() ? *entries : std::vector<security::AuditEntry>{};
  }

  FakeClock clock_{1521104400000};  // 2018-03-15T09:00:00Z
  security::AuditLog audit_{clock_};
  std::unique_ptr<UnitsService> units_;
  const Principal chief_ = Chief();
};

TEST_P(UnitsServiceTest, TheDefaultUnitsAreThere) {
  auto list = units_->List();
  ASSERT_TRUE(list.ok()) << list.status().ToString();
  EXPECT_EQ(list->size(), 24u);
  for (std::size_t i = 1; i < list->size(); ++i) {
    EXPECT_LT((*list)[i - 1].code, (*list)[i].code);  // ordered by code
  }
  auto cdt = units_->Get(IdOf("CDT"));
  ASSERT_TRUE(cdt.ok());
  EXPECT_EQ(cdt->name, "Conduct and Discipline Team");
  EXPECT_EQ(cdt->aliases,
            (std::vector<std::string>{"MINUSCA CDT", "CDT officers", "Conduct and Discipline"}));
  EXPECT_THAT(cdt->focal_points, IsEmpty());
  EXPECT_EQ(units_->Get(999999).status().code(), ErrorCode::kNotFound);
}

TEST_P(UnitsServiceTest, MatchesThePartnerTextOfTheMinuscaPlan) {
  const struct {
    const char* text;
    std::vector<std::string> codes;
    std::vector<std::string> unmatched;
  } cases[] = {
      {"MINUSCA Force and Police", {"FORCE", "POLICE"}, {}},
      {"[CDT], [OIOS]", {"CDT", "OIOS"}, {}},
      {"UNCT (UNICEF, UNFPA)", {"UNCT"}, {}},
      {"[TCC/OFC] [PCC/OPC]; TCC/OIOS.", {"FORCE", "POLICE", "OIOS"}, {}},
      {"OIOS, HR, CRSV, HRD, CP, UNPOL, Force, Security, etc.",
       {"OIOS", "HR", "CRSV", "HRD", "CP", "POLICE", "FORCE", "SECURITY"},
       {}},
      {"CBCM; CLAs; UN Agencies; Service providers", {"CBCM", "CAS", "UNCT", "SUPPORT"}, {}},
      {"Members - [CDT], MINUSCA leadership, all Heads of UN agencies.",
       {"CDT", "HOM"},
       {"all Heads of UN agencies"}},
      {"[VRA] [CDT] [OIOS] HOM (with regards to communication with DFS/CDU) "
       "[GBV working group, UNICEF, UNFPA]",
       {"VRA", "CDT", "OIOS", "HOM", "UNCT"},
       {"with regards to communication with DFS/CDU", "GBV working group"}},
      {"Ministry of Mines; Ministry of Mines", {}, {"Ministry of Mines"}},
  };
  for (const auto& c : cases) {
    auto match = units_->Match(c.text);
    ASSERT_TRUE(match.ok()) << match.status().ToString();
    EXPECT_EQ(Codes(match->unit_ids), c.codes) << c.text;
    EXPECT_EQ(match->unmatched, c.unmatched) << c.text;
  }
}

TEST_P(UnitsServiceTest, CreateRefusesADuplicateCode) {
  Unit unit;
  unit.code = " WFP ";
  unit.name = "World Food Programme";
  unit.aliases = {"World Food Programme (WFP)", "PAM"};
  auto created = units_->Create(chief_, unit, "req-create");
  ASSERT_TRUE(created.ok()) << created.status().ToString();
  EXPECT_EQ(created->code, "WFP");
  EXPECT_EQ(created->aliases, unit.aliases);
  auto match = units_->Match("PAM");
  ASSERT_TRUE(match.ok());
  EXPECT_THAT(match->unit_ids, ElementsAre(created->id));

  for (const char* code : {"WFP", "CDT"}) {
    unit.code = code;
    auto again = units_->Create(chief_, unit, "req-again");
    ASSERT_FALSE(again.ok()) << code;
    EXPECT_EQ(again.status().code(), ErrorCode::kConflict) << code;
    EXPECT_EQ(again.status().field(), "code");
  }
  unit.code = "";
  EXPECT_EQ(units_->Create(chief_, unit, "r").status().field(), "code");
  unit.code = std::string(33, 'X');
  EXPECT_EQ(units_->Create(chief_, unit, "r").status().field(), "code");
  unit.code = "NEW";
  unit.name = "  ";
  EXPECT_EQ(units_->Create(chief_, unit, "r").status().code(), ErrorCode::kInvalidArgument);

  auto list = units_->List();
  ASSERT_TRUE(list.ok());
  EXPECT_EQ(list->size(), 25u);
  const auto audit = AuditEntries("unit.create");
  ASSERT_EQ(audit.size(), 1u);
  EXPECT_EQ(audit[0].event.object_id, std::to_string(created->id));
  EXPECT_EQ(audit[0].event.actor, "chief");
}

TEST_P(UnitsServiceTest, UpdateReplacesFocalPoints) {
  const std::int64_t force = IdOf("FORCE");
  const std::int64_t police = IdOf("POLICE");
  UnitPatch patch;
  patch.focal_points = std::vector<FocalPoint>{
      {7, "force.fp", "Force focal point"}, {8, "deputy.fp", "Deputy"}, {7, "force.fp", "dup"}};
  auto updated = units_->Update(chief_, force, patch, "req-1");
  ASSERT_TRUE(updated.ok()) << updated.status().ToString();
  ASSERT_EQ(updated->focal_points.size(), 2u);  // ordered by username, each user once
  EXPECT_EQ(updated->focal_points[0].username, "deputy.fp");
  EXPECT_EQ(updated->focal_points[1].user_id, 7);
  EXPECT_EQ(updated->focal_points[1].display_name, "Force focal point");
  EXPECT_EQ(updated->name, "Force");  // untouched

  patch = UnitPatch{};
  patch.focal_points = std::vector<FocalPoint>{{7, "force.fp", "Force focal point"}};
  ASSERT_TRUE(units_->Update(chief_, police, patch, "req-2").ok());

  auto of_seven = units_->UnitsOfUser(7);
  ASSERT_TRUE(of_seven.ok());
  EXPECT_EQ(*of_seven,
            (std::vector<std::int64_t>{std::min(force, police), std::max(force, police)}));
  auto of_eight = units_->UnitsOfUser(8);
  ASSERT_TRUE(of_eight.ok());
  EXPECT_THAT(*of_eight, ElementsAre(force));
  auto of_nobody = units_->UnitsOfUser(99);
  ASSERT_TRUE(of_nobody.ok());
  EXPECT_THAT(*of_nobody, IsEmpty());

  // Name and aliases change without touching the focal points; an empty list removes them.
  patch = UnitPatch{};
  patch.name = "MINUSCA Force";
  patch.aliases = std::vector<std::string>{"FC", "Military"};
  updated = units_->Update(chief_, force, patch, "req-3");
  ASSERT_TRUE(updated.ok());
  EXPECT_EQ(updated->name, "MINUSCA Force");
  EXPECT_EQ(updated->aliases, (std::vector<std::string>{"FC", "Military"}));
  EXPECT_EQ(updated->focal_points.size(), 2u);
  patch = UnitPatch{};
  patch.focal_points = std::vector<FocalPoint>{};
  updated = units_->Update(chief_, force, patch, "req-4");
  ASSERT_TRUE(updated.ok());
  EXPECT_THAT(updated->focal_points, IsEmpty());
  of_eight = units_->UnitsOfUser(8);
  ASSERT_TRUE(of_eight.ok());
  EXPECT_THAT(*of_eight, IsEmpty());

  patch = UnitPatch{};
  patch.name = " ";
  EXPECT_EQ(units_->Update(chief_, force, patch, "r").status().code(), ErrorCode::kInvalidArgument);
  patch.name = "Anything";
  EXPECT_EQ(units_->Update(chief_, 999999, patch, "r").status().code(), ErrorCode::kNotFound);

  const auto audit = AuditEntries("unit.update");
  ASSERT_EQ(audit.size(), 4u);
  EXPECT_EQ(audit[0].event.details, "{\"fields\":[\"focal_points\"]}");  // newest first
  EXPECT_EQ(audit[1].event.details, "{\"fields\":[\"name\",\"aliases\"]}");
  auto verification = security::AuditLog::Verify(db());
  ASSERT_TRUE(verification.ok());
  EXPECT_TRUE(verification->ok) << verification->problem;
}

PSEA_INSTANTIATE_ENGINE_TEST(UnitsServiceTest);

}  // namespace
}  // namespace psea::units
