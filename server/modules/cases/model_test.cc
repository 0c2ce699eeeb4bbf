// The case workflow, every pair of statuses: the legal steps, who may take them and what each
// requires; everything else 409 naming status. Dates and their precisions.
#include "modules/cases/model.h"

#include <gtest/gtest.h>

#include <map>
#include <set>

namespace psea::cases {
namespace {

using security::Role;
using S = CaseStatus;

// The legal steps and the role that may take each (the chief may take them all).
struct Step {
  S from;
  S to;
  bool officer;       // a CDT officer may take it
  bool investigator;  // an investigator may take it
};
const std::vector<Step> kLegal = {
    {S::kReceived, S::kUnderAssessment, true, false},
    {S::kUnderAssessment, S::kNotSea, false, false},
    {S::kUnderAssessment, S::kClosedWithoutInvestigation, false, false},
    {S::kUnderAssessment, S::kReferredForInvestigation, true, false},
    {S::kReferredForInvestigation, S::kUnderInvestigation, true, false},
    {S::kUnderInvestigation, S::kReportReceived, true, true},
    {S::kReportReceived, S::kUnderReview, true, false},
    {S::kUnderReview, S::kActionPending, true, false},
    {S::kUnderReview, S::kClosed, false, false},
    {S::kActionPending, S::kClosed, false, false},
};

// What each target needs to be complete.
TransitionRequest Complete(S to) {
  TransitionRequest r;
  r.to = to;
  if (to == S::kNotSea || to == S::kClosedWithoutInvestigation) r.reason = "withdrawn";
  if (to == S::kUnderInvestigation) r.entity = "oios";
  if (to == S::kClosed) r.outcome = "substantiated";
  return r;
}

TEST(CaseWorkflowTest, EveryPairOfStatusesIsLegalOnlyWhenListed) {
  int legal = 0;
  int illegal = 0;
  for (S from : AllCaseStatuses()) {
    for (S to : AllCaseStatuses()) {
      const auto step = std::find_if(kLegal.begin(), kLegal.end(),
                                     [&](const Step& s) { return s.from == from && s.to == to; });
      const Status chief = CheckTransition(from, Complete(to), Role::kCdtChief);
      const Status officer = CheckTransition(from, Complete(to), Role::kCdtOfficer);
      const Status investigator = CheckTransition(from, Complete(to), Role::kInvestigator);
      const Status vra = CheckTransition(from, Complete(to), Role::kVra);
      const std::string name =
          std::string(CaseStatusName(from)) + " -> " + std::string(CaseStatusName(to));
      if (step == kLegal.end()) {
        ++illegal;
        for (const Status* s : {&chief, &officer, &investigator, &vra}) {
          EXPECT_EQ(s->code(), ErrorCode::kConflict) << name;
          EXPECT_EQ(s->field(), "status") << name;
        }
        continue;
      }
      ++legal;
      EXPECT_TRUE(chief.ok()) << name << ": " << chief.ToString();
      EXPECT_EQ(officer.ok(), step->officer) << name;
      if (!step->officer) {
        EXPECT_EQ(officer.code(), ErrorCode::kPermissionDenied) << name;
      }
      EXPECT_EQ(investigator.ok(), step->investigator) << name;
      EXPECT_EQ(vra.code(), ErrorCode::kPermissionDenied) << name;
    }
  }
  EXPECT_EQ(legal, 10);
  EXPECT_EQ(illegal, 90);
}

TEST(CaseWorkflowTest, FinalStatusesGoNowhere) {
  for (S status : AllCaseStatuses()) {
    const bool final_status =
        status == S::kNotSea || status == S::kClosedWithoutInvestigation || status == S::kClosed;
    EXPECT_EQ(IsFinal(status), final_status) << CaseStatusName(status);
  }
}

TEST(CaseWorkflowTest, EachStepNamesWhatItLacks) {
  struct Row {
    S from;
    TransitionRequest request;
    std::string field;
  };
  TransitionRequest no_reason{S::kNotSea, "", "", "", ""};
  TransitionRequest no_reason2{S::kClosedWithoutInvestigation, "", "", "", ""};
  TransitionRequest no_entity{S::kUnderInvestigation, "", "", "", ""};
  TransitionRequest bad_entity{S::kUnderInvestigation, "", "interpol", "", ""};
  TransitionRequest no_outcome{S::kClosed, "", "", "", ""};
  TransitionRequest bad_outcome{S::kClosed, "", "", "maybe", ""};
  TransitionRequest stray_outcome{S::kUnderReview, "", "", "substantiated", ""};
  TransitionRequest stray_entity{S::kReportReceived, "", "oios", "", ""};
  TransitionRequest bad_date{S::kUnderAssessment, "", "", "", "2026-02-30"};
  const std::vector<Row> rows = {
      {S::kUnderAssessment, no_reason, "reason"},
      {S::kUnderAssessment, no_reason2, "reason"},
      {S::kReferredForInvestigation, no_entity, "entity"},
      {S::kReferredForInvestigation, bad_entity, "entity"},
      {S::kUnderReview, no_outcome, "outcome"},
      {S::kActionPending, bad_outcome, "outcome"},
      {S::kReportReceived, stray_outcome, "outcome"},
      {S::kUnderInvestigation, stray_entity, "entity"},
      {S::kReceived, bad_date, "date"},
  };
  for (const auto& row : rows) {
    const Status s = CheckTransition(row.from, row.request, Role::kCdtChief);
    EXPECT_EQ(s.code(), ErrorCode::kInvalidArgument) << row.field;
    EXPECT_EQ(s.field(), row.field);
  }
}

TEST(CaseDatesTest, IncidentDatesMatchTheirPrecision) {
  EXPECT_TRUE(CheckIncidentDate("exact", "2024-02-29").ok());
  EXPECT_FALSE(CheckIncidentDate("exact", "2023-02-29").ok());
  EXPECT_FALSE(CheckIncidentDate("exact", "2026-13-01").ok());
  EXPECT_TRUE(CheckIncidentDate("month", "2026-10").ok());
  EXPECT_FALSE(CheckIncidentDate("month", "2026-10-01").ok());
  EXPECT_TRUE(CheckIncidentDate("year", "2025").ok());
  EXPECT_FALSE(CheckIncidentDate("year", "25").ok());
  EXPECT_TRUE(CheckIncidentDate("unknown", "").ok());
  EXPECT_EQ(CheckIncidentDate("unknown", "2026").field(), "incident_date");
  EXPECT_EQ(CheckIncidentDate("approximate", "").field(), "incident_date_precision");
  EXPECT_EQ(IncidentDateStart("month", "2026-10"), "2026-10-01");
  EXPECT_EQ(IncidentDateStart("year", "2026"), "2026-01-01");
  EXPECT_EQ(IncidentDateStart("unknown", ""), "");
}

TEST(CaseVocabularyTest, EntryKindsHaveTheirTypes) {
  EXPECT_TRUE(IsOneOf(EntryTypesOf("member_state"), "nio_appointed"));
  EXPECT_TRUE(IsOneOf(EntryTypesOf("interim_measure"), "payment_suspension"));
  EXPECT_TRUE(IsOneOf(EntryTypesOf("action"), "dismissal"));
  EXPECT_FALSE(IsOneOf(EntryTypesOf("action"), "payment_suspension"));
  EXPECT_TRUE(EntryTypesOf("other").empty());
  for (S status : AllCaseStatuses()) {
    EXPECT_EQ(ParseCaseStatus(CaseStatusName(status)), status);
  }
}

}  // namespace
}  // namespace psea::cases
