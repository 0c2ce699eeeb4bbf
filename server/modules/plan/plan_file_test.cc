// Reading plan files (docs/plan-format.md): the MINUSCA plan as shipped, and one bad file per
// rule, each refused with the path of the offending field and the line it is on.
#include "modules/plan/plan_file.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "storage/testing/test_databases.h"

namespace psea::plan {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

std::string MinuscaPlanText() {
  return storage::testdb::ReadFileBytes(std::string(PSEA_SOURCE_DIR) +
                                        "/data/plans/minusca-sea-2018-2019.yaml");
}

// A small valid plan. The bad inputs below are this text with one change; the line numbers
// in the table refer to it.
constexpr const char* kSmallPlan = R"(format: psea-plan/1
key: exmis-sea
version: "2021"
title: "EXMIS plan"
mission: EXMIS
period: {start: "2021-01", end: "2021-12"}
pillars:
  - key: prevention
    title: "Prevention"
    goals:
      - number: 1
        title: "Establish SEA Task Force."
        activities:
          - letter: a
            text: "Hold monthly meetings of the SEA Task Force."
          - letter: b
            text: "Hold weekly meetings."
        expected_results:
          - numeral: i
            text: "Efforts coordinated."
          - numeral: ii
            text: "Information shared."
        months: [1, 4]
      - number: 2
        title: "Strengthen reporting."
        activities:
          - letter: a
            text: "Disseminate the SOP."
)";

// kSmallPlan with the first occurrence of `from` replaced by `to`; fails the test when `from`
// is not there, so that a table row cannot silently test the valid plan.
std::string Edit(const std::string& from, const std::string& to) {
  std::string text = kSmallPlan;
  const auto at = text.find(from);
  if (at == std::string::npos) {
    ADD_FAILURE() << "the small plan has no " << from;
    return text;
  }
  return text.replace(at, from.size(), to);
}

TEST(PlanFileTest, ReadsTheSmallPlan) {
  auto doc = ParsePlanFile(kSmallPlan);
  ASSERT_TRUE(doc.ok()) << doc.status().ToString();
  EXPECT_EQ(doc->key, "exmis-sea");
  EXPECT_EQ(doc->version, "2021");
  EXPECT_EQ(doc->period_start, MakeMonth(2021, 1));
  EXPECT_EQ(doc->period_end, MakeMonth(2021, 12));
  ASSERT_EQ(doc->pillars.size(), 1u);
  ASSERT_EQ(doc->pillars[0].goals.size(), 2u);
  const GoalDoc& goal = doc->pillars[0].goals[0];
  EXPECT_EQ(goal.number, 1);
  ASSERT_EQ(goal.activities.size(), 2u);
  EXPECT_EQ(goal.activities[1].letter, "b");
  EXPECT_EQ(goal.activities[1].text, "Hold weekly meetings.");
  ASSERT_EQ(goal.expected_results.size(), 2u);
  EXPECT_EQ(goal.expected_results[1].numeral, "ii");
  EXPECT_EQ(goal.months, (std::vector<int>{1, 4}));
  EXPECT_TRUE(doc->pillars[0].goals[1].expected_results.empty());
}

TEST(PlanFileTest, ReadsTheMinuscaPlan) {
  const std::string text = MinuscaPlanText();
  ASSERT_FALSE(text.empty()) << "data/plans/minusca-sea-2018-2019.yaml not found";
  auto doc = ParsePlanFile(text);
  ASSERT_TRUE(doc.ok()) << doc.status().ToString();
  EXPECT_EQ(doc->key, "minusca-sea");
  EXPECT_EQ(doc->version, "2018-2019");
  EXPECT_EQ(doc->mission, "MINUSCA");
  EXPECT_EQ(doc->period_start, MakeMonth(2018, 1));
  EXPECT_EQ(doc->period_end, MakeMonth(2019, 12));
  EXPECT_EQ(doc->supersedes, "version adopted on 8 March 2017");
  EXPECT_THAT(doc->context, StartsWith("This Action Plan is designed"));
  EXPECT_EQ(doc->principles.size(), 6u);
  EXPECT_EQ(doc->reference_materials.size(), 23u);

  ASSERT_EQ(doc->pillars.size(), 3u);
  EXPECT_EQ(doc->pillars[0].key, "prevention");
  EXPECT_EQ(doc->pillars[1].key, "enforcement");
  EXPECT_EQ(doc->pillars[2].key, "remedial_action");
  EXPECT_EQ(doc->pillars[2].title, "Remedial Actions");
  std::vector<std::size_t> goals_per_pillar;
  std::size_t goals = 0, activities = 0, results = 0;
  for (const auto& pillar : doc->pillars) {
    goals_per_pillar.push_back(pillar.goals.size());
    for (const auto& goal : pillar.goals) {
      ++goals;
      activities += goal.activities.size();
      results += goal.expected_results.size();
      EXPECT_TRUE(goal.months.empty()) << pillar.key << " " << goal.number;
    }
  }
  EXPECT_EQ(goals_per_pillar, (std::vector<std::size_t>{6, 5, 1}));
  EXPECT_EQ(goals, 12u);
  EXPECT_EQ(activities, 62u);
  EXPECT_EQ(results, 38u);

  const GoalDoc& first = doc->pillars[0].goals[0];
  EXPECT_EQ(first.references.size(), 4u);
  EXPECT_EQ(first.activities.size(), 9u);
  EXPECT_EQ(first.activities.front().text, "Review and update SEA communication strategy.");
  EXPECT_EQ(first.status, "Ongoing");
  EXPECT_THAT(first.partners, HasSubstr("MINUSCA Spokesperson"));
  // The remedial goal's result (i) cannot be read at all: kept in its place, marked.
  EXPECT_EQ(doc->pillars[2].goals[0].expected_results.front().numeral, "i");
  EXPECT_EQ(doc->pillars[2].goals[0].expected_results.front().text, "[illegible]");
  // Single-quoted YAML keeps the double quotes of the text.
  EXPECT_THAT(first.activities[4].text, HasSubstr("\"no-excuse cards\""));
}

struct BadPlanCase {
  const char* name;
  std::string yaml;
  std::string field;
  int line;
  const char* message;  // a part of the message after "line N: "
};

TEST(PlanFileTest, RefusesBadPlansWithFieldAndLine) {
  const std::string activity_path = "pillars[0].goals[0].activities";
  const std::string result_path = "pillars[0].goals[0].expected_results";
  const BadPlanCase cases[] = {
      {"missing key", Edit("key: exmis-sea\n", ""), "key", 1, "key is required"},
      {"missing title", Edit("title: \"EXMIS plan\"\n", ""), "title", 1, "is required"},
      {"missing pillars",
       std::string(kSmallPlan).substr(0, std::string(kSmallPlan).find("pillars:")), "pillars", 1,
       "must list at least one pillar"},
      {"empty pillars",
       std::string(kSmallPlan).substr(0, std::string(kSmallPlan).find("pillars:")) +
           "pillars: []\n",
       "pillars", 7, "must list at least one pillar"},
      {"goal without activities",
       Edit("        activities:\n          - letter: a\n            text: \"Disseminate the "
            "SOP.\"\n",
            ""),
       "pillars[0].goals[1].activities", 24, "must list at least one activity"},
      {"goal with an empty activity list",
       Edit("        activities:\n          - letter: a\n            text: \"Disseminate the "
            "SOP.\"\n",
            "        activities: []\n"),
       "pillars[0].goals[1].activities", 26, "must list at least one activity"},
      {"wrong format", Edit("psea-plan/1", "psea-plan/2"), "format", 1, "must be psea-plan/1"},
      {"bad key", Edit("key: exmis-sea", "key: EXMIS"), "key", 2, "must be 2-64"},
      {"duplicate letter", Edit("letter: b", "letter: a"), activity_path + "[1].letter", 16,
       "(a) appears twice in this goal"},
      {"upper-case letter", Edit("letter: a", "letter: A"), activity_path + "[0].letter", 14,
       "one or two lowercase letters"},
      {"three letters", Edit("letter: a", "letter: abc"), activity_path + "[0].letter", 14,
       "too long"},
      {"digit as letter", Edit("letter: a", "letter: \"1\""), activity_path + "[0].letter", 14,
       "one or two lowercase letters"},
      {"duplicate numeral", Edit("numeral: ii", "numeral: i"), result_path + "[1].numeral", 21,
       "(i) appears twice in this goal"},
      {"bad numeral", Edit("numeral: ii", "numeral: iiii"), result_path + "[1].numeral", 21,
       "lowercase roman numeral"},
      {"upper-case numeral", Edit("numeral: ii", "numeral: II"), result_path + "[1].numeral", 21,
       "lowercase roman numeral"},
      {"numeral that is a word", Edit("numeral: ii", "numeral: vix"), result_path + "[1].numeral",
       21, "lowercase roman numeral"},
      {"empty result list",
       Edit("        expected_results:\n          - numeral: i\n"
            "            text: \"Efforts coordinated.\"\n"
            "          - numeral: ii\n"
            "            text: \"Information shared.\"\n",
            "        expected_results: []\n"),
       result_path, 18, "at least one"},
      {"duplicate goal number", Edit("      - number: 2", "      - number: 1"),
       "pillars[0].goals[1].number", 24, "goal 1 appears twice in this pillar"},
      {"goal number zero", Edit("      - number: 2", "      - number: 0"),
       "pillars[0].goals[1].number", 24, "between 1 and 999"},
      {"goal number in words", Edit("      - number: 2", "      - number: two"),
       "pillars[0].goals[1].number", 24, "whole number"},
      {"unknown top-level field", Edit("mission: EXMIS\n", "mission: EXMIS\nowner: CDT\n"), "owner",
       6, "is not a field of this format"},
      {"unknown goal field",
       Edit("        months: [1, 4]\n", "        months: [1, 4]\n        colour: red\n"),
       "pillars[0].goals[0].colour", 24, "is not a field of this format"},
      {"unknown activity field",
       Edit("            text: \"Hold weekly meetings.\"\n",
            "            text: \"Hold weekly meetings.\"\n            status: on_track\n"),
       activity_path + "[1].status", 18, "is not a field of this format"},
      {"unknown period field", Edit("end: \"2021-12\"}", "end: \"2021-12\", length: 12}"),
       "period.length", 6, "is not a field of this format"},
      {"period start after end",
       Edit("{start: \"2021-01\", end: \"2021-12\"}", "{start: \"2021-12\", end: \"2021-01\"}"),
       "period.end", 6, "is before period.start"},
      {"month 13", Edit("start: \"2021-01\"", "start: \"2018-13\""), "period.start", 6,
       "must be YYYY-MM"},
      {"month without a leading zero", Edit("end: \"2021-12\"", "end: \"2021-1\""), "period.end", 6,
       "must be YYYY-MM"},
      {"period that is not a mapping",
       Edit("period: {start: \"2021-01\", end: \"2021-12\"}", "period: 2021"), "period", 6,
       "must be a mapping"},
      {"period more than ten years", Edit("end: \"2021-12\"", "end: \"2032-01\""), "period.end", 6,
       "more than ten years"},
      {"empty text", Edit("text: \"Hold weekly meetings.\"", "text: \"   \""),
       activity_path + "[1].text", 17, "must not be empty"},
      {"empty title", Edit("title: \"Strengthen reporting.\"", "title: \"\""),
       "pillars[0].goals[1].title", 25, "must not be empty"},
      {"null text", Edit("text: \"Hold weekly meetings.\"", "text:"), activity_path + "[1].text",
       16, "is required"},
      {"text that is a list", Edit("text: \"Hold weekly meetings.\"", "text: [a, b]"),
       activity_path + "[1].text", 17, "must be text"},
      {"month 13 in months", Edit("months: [1, 4]", "months: [1, 13]"),
       "pillars[0].goals[0].months[1]", 23, "between 1 and 12"},
      {"month 0 in months", Edit("months: [1, 4]", "months: [0]"), "pillars[0].goals[0].months[0]",
       23, "between 1 and 12"},
      {"month twice", Edit("months: [1, 4]", "months: [4, 4]"), "pillars[0].goals[0].months", 23,
       "lists a month twice"},
      {"empty months", Edit("months: [1, 4]", "months: []"), "pillars[0].goals[0].months", 23,
       "at least one"},
      {"pillar key outside the format", Edit("key: prevention", "key: awareness"), "pillars[0].key",
       8, "one of prevention, enforcement, remedial_action"},
      {"pillar key twice",
       std::string(kSmallPlan) + "  - key: prevention\n    title: \"Again\"\n    goals:\n"
                                 "      - number: 1\n        title: \"T\"\n        activities:\n"
                                 "          - letter: a\n            text: \"A\"\n",
       "pillars[1].key", 29, "appears twice"},
      {"principles without items",
       Edit("pillars:\n", "core_principles:\n  intro: \"The rules:\"\npillars:\n"),
       "core_principles.items", 8, "is required"},
      {"malformed YAML: unclosed flow sequence", Edit("months: [1, 4]\n", "months: [1, 4\n"),
       "(document)", 24, "not valid YAML"},
      {"malformed YAML: bad indentation",
       Edit("            text: \"Hold weekly meetings.\"\n",
            "            text: \"Hold weekly meetings.\"\n             bad: indent\n"),
       "(document)", 18, "not valid YAML"},
      {"not a mapping", "- just\n- a list\n", "(document)", 1, "must be a mapping"},
      {"empty file", "# nothing but a comment\n", "(document)", 1, "empty"},
      {"second pillar outside the format",
       Edit("            text: \"Hold weekly meetings.\"\n",
            "            text: \"Hold weekly meetings.\"\n            second_pillar: victims\n"),
       activity_path + "[1].second_pillar", 18, "one of prevention, enforcement, remedial_action"},
      {"second pillar that is the goal's own",
       Edit("            text: \"Hold weekly meetings.\"\n",
            "            text: \"Hold weekly meetings.\"\n            second_pillar: prevention\n"),
       activity_path + "[1].second_pillar", 18, "is the pillar of the activity's own goal"},
      {"frequency outside the format",
       Edit("            text: \"Hold weekly meetings.\"\n",
            "            text: \"Hold weekly meetings.\"\n            frequency: daily\n"),
       activity_path + "[1].frequency", 18, "must be one of none, weekly"},
      {"illegible marker misspelt",
       Edit("text: \"Information shared.\"", "text: \"Information [Illegible] shared.\""),
       result_path + "[1].text", 22, "exactly as [illegible]"},
      {"illegible marker unclosed",
       Edit("text: \"Information shared.\"", "text: \"[illegible Information shared.\""),
       result_path + "[1].text", 22, "exactly as [illegible]"},
      {"unreadable fragment as an ellipsis",
       Edit("title: \"Strengthen reporting.\"", "title: \"Strengthen [...] reporting.\""),
       "pillars[0].goals[1].title", 25, "as [illegible]"},
      {"unreadable fragment in other words",
       Edit("title: \"Strengthen reporting.\"", "title: \"Strengthen [unreadable]\""),
       "pillars[0].goals[1].title", 25, "as [illegible]"},
  };
  for (const BadPlanCase& c : cases) {
    SCOPED_TRACE(c.name);
    auto doc = ParsePlanFile(c.yaml);
    ASSERT_FALSE(doc.ok()) << "accepted:\n" << c.yaml;
    EXPECT_EQ(doc.status().code(), ErrorCode::kUnprocessable) << doc.status().ToString();
    EXPECT_EQ(doc.status().field(), c.field) << doc.status().message();
    EXPECT_THAT(doc.status().message(), StartsWith("line " + std::to_string(c.line) + ": "));
    EXPECT_THAT(doc.status().message(), HasSubstr(c.message));
  }
}

TEST(PlanFileTest, ReportsTheFirstErrorOfTheMinuscaPlanWithItsRealLine) {
  // A duplicate letter far down the real file: the line is the one of the second "letter: a"
  // in goal 4 of Prevention.
  std::string text = MinuscaPlanText();
  const std::string weekly = "          - letter: b\n            text: \"Hold monthly meetings";
  const auto at = text.find(weekly);
  ASSERT_NE(at, std::string::npos);
  text.replace(at, weekly.size(),
               "          - letter: a\n            text: \"Hold monthly meetings");
  const int line = 1 + static_cast<int>(std::count(text.begin(), text.begin() + at, '\n'));
  auto doc = ParsePlanFile(text);
  ASSERT_FALSE(doc.ok());
  EXPECT_EQ(doc.status().field(), "pillars[0].goals[3].activities[1].letter");
  EXPECT_EQ(doc.status().message(), "line " + std::to_string(line) +
                                        ": pillars[0].goals[3].activities[1].letter (a) appears "
                                        "twice in this goal");
}

TEST(PlanFileTest, ReadsSecondPillarsFrequenciesAndIllegibleFragments) {
  auto doc = ParsePlanFile(
      Edit("            text: \"Hold weekly meetings.\"\n",
           "            text: \"Hold weekly [illegible]\"\n"
           "            second_pillar: remedial_action\n            frequency: monthly\n"));
  ASSERT_TRUE(doc.ok()) << doc.status().ToString();
  const ActivityDoc& tagged = doc->pillars[0].goals[0].activities[1];
  EXPECT_EQ(tagged.second_pillar, "remedial_action");
  EXPECT_EQ(tagged.frequency, Frequency::kMonthly);
  EXPECT_EQ(tagged.text, "Hold weekly [illegible]");
  EXPECT_TRUE(HasIllegible(tagged.text));
  const ActivityDoc& plain = doc->pillars[0].goals[0].activities[0];
  EXPECT_EQ(plain.second_pillar, "");
  EXPECT_EQ(plain.frequency, std::nullopt);
  EXPECT_EQ(ReplaceIllegible("[illegible] a [illegible]", "?"), "? a ?");
  EXPECT_EQ(ReplaceIllegible("no marker", "?"), "no marker");
}

// Enforcement goal 5 (e)-(j) are victim assistance: under Remedial action as well.
TEST(PlanFileTest, TheMinuscaVictimAssistanceActivitiesServeRemedialAction) {
  auto doc = ParsePlanFile(MinuscaPlanText());
  ASSERT_TRUE(doc.ok()) << doc.status().ToString();
  std::vector<std::string> tagged;
  for (const auto& pillar : doc->pillars) {
    for (const auto& goal : pillar.goals) {
      for (const auto& activity : goal.activities) {
        if (activity.second_pillar.empty()) continue;
        tagged.push_back(pillar.key + " " + std::to_string(goal.number) + " (" + activity.letter +
                         ") " + activity.second_pillar);
      }
    }
  }
  EXPECT_EQ(tagged, (std::vector<std::string>{
                        "enforcement 5 (e) remedial_action", "enforcement 5 (f) remedial_action",
                        "enforcement 5 (g) remedial_action", "enforcement 5 (h) remedial_action",
                        "enforcement 5 (i) remedial_action", "enforcement 5 (j) remedial_action"}));
}

// The fragments the transcription could not read are marked where they stand, not passed off
// as whole sentences.
TEST(PlanFileTest, TheMinuscaIllegibleFragmentsAreMarked) {
  auto doc = ParsePlanFile(MinuscaPlanText());
  ASSERT_TRUE(doc.ok()) << doc.status().ToString();
  std::vector<std::string> marked;
  for (const auto& pillar : doc->pillars) {
    for (const auto& goal : pillar.goals) {
      const std::string where = pillar.key + " " + std::to_string(goal.number);
      if (HasIllegible(goal.title)) marked.push_back(where + " title: " + goal.title);
      if (HasIllegible(goal.partners)) marked.push_back(where + " partners: " + goal.partners);
      for (const auto& activity : goal.activities) {
        if (HasIllegible(activity.text)) marked.push_back(where + " (" + activity.letter + ")");
      }
      for (const auto& result : goal.expected_results) {
        if (HasIllegible(result.text))
          marked.push_back(where + " (" + result.numeral + "): " + result.text);
      }
    }
  }
  EXPECT_EQ(marked,
            (std::vector<std::string>{
                "prevention 1 (iii): [illegible] every town hall meeting in the field and at HQ.",
                "prevention 2 partners: [illegible] in Programs – [country representative (CR)] "
                "– CDT",
                "prevention 3 (i): [illegible] response efforts coordinated across the UN in CAR.",
                "prevention 3 (ii): Relevant information, [illegible]",
                "remedial_action 1 title: Design a victim-centered [illegible]",
                "remedial_action 1 (i): [illegible]"}));
}

// The Task Force's goal says "Monthly meetings to be held." outside the activity's words.
TEST(PlanFileTest, TheMinuscaTaskForceMeetsMonthly) {
  auto doc = ParsePlanFile(MinuscaPlanText());
  ASSERT_TRUE(doc.ok()) << doc.status().ToString();
  const GoalDoc& task_force = doc->pillars[0].goals[2];
  ASSERT_EQ(task_force.title, "Establish SEA Task Force.");
  EXPECT_EQ(task_force.activities[0].frequency, Frequency::kMonthly);
  EXPECT_EQ(task_force.activities[1].frequency, std::nullopt);
  EXPECT_EQ(InferFrequency(task_force.activities[0].text), Frequency::kNone);
}

TEST(PlanFileTest, InfersTheFrequencyFromTheWording) {
  const struct {
    const char* text;
    Frequency frequency;
  } cases[] = {
      {"Hold weekly meeting between CDT and Force Commander.", Frequency::kWeekly},
      {"Hold SEA weekly prevention meetings (led by MINUSCA Force).", Frequency::kWeekly},
      {"Meet the focal points every week.", Frequency::kWeekly},
      {"Hold bi-weekly meetings between CDT, OIOS and SIU.", Frequency::kBiweekly},
      {"Biweekly review of cases.", Frequency::kBiweekly},
      {"Report to the task force once a fortnight.", Frequency::kBiweekly},
      {"Monthly CDT newsletter published.", Frequency::kMonthly},
      {"In coordination with VRA, organize monthly meetings.", Frequency::kMonthly},
      {"Publish a CDT quarterly newsletter in French and English.", Frequency::kQuarterly},
      {"Update the Off Limits list on a bi-annual basis.", Frequency::kBiannual},
      {"Review the register twice a year.", Frequency::kBiannual},
      {"Reiterate Anti SEA messages, in every town hall meeting.", Frequency::kPerEvent},
      {"Organize focus group discussions on SEA during field visits by CDT officers.",
       Frequency::kPerEvent},
      {"Review and update SEA communication strategy.", Frequency::kNone},
      {"Establish a SEA Immediate Response Team.", Frequency::kNone},
      {"", Frequency::kNone},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(InferFrequency(c.text), c.frequency)
        << c.text << " -> " << FrequencyName(InferFrequency(c.text));
  }
}

TEST(PlanFileTest, MonthsParseAndFormat) {
  EXPECT_EQ(ParseMonth("2018-03"), MakeMonth(2018, 3));
  EXPECT_EQ(FormatMonth(MakeMonth(2019, 12)), "2019-12");
  EXPECT_EQ(FormatMonth(MakeMonth(2019, 12) + 1), "2020-01");
  EXPECT_EQ(YearOf(MakeMonth(2019, 12)), 2019);
  EXPECT_EQ(MonthOfYear(MakeMonth(2019, 12)), 12);
  for (const char* bad : {"2018-13", "2018-00", "2018-1", "18-01", "2018/01", "abcd-ef", ""}) {
    EXPECT_FALSE(ParseMonth(bad).has_value()) << bad;
  }
}

TEST(PlanFileTest, StatusAndFrequencyNamesRoundTrip) {
  for (auto status : {ActivityStatus::kNotStarted, ActivityStatus::kOnTrack,
                      ActivityStatus::kAtRisk, ActivityStatus::kDelayed, ActivityStatus::kCompleted,
                      ActivityStatus::kContinuous, ActivityStatus::kCancelled}) {
    EXPECT_EQ(ParseStatus(StatusName(status)), status) << StatusName(status);
  }
  for (auto frequency :
       {Frequency::kNone, Frequency::kWeekly, Frequency::kBiweekly, Frequency::kMonthly,
        Frequency::kQuarterly, Frequency::kBiannual, Frequency::kPerEvent}) {
    EXPECT_EQ(ParseFrequency(FrequencyName(frequency)), frequency) << FrequencyName(frequency);
  }
  // The plan file has no status field: statuses come from the API only.
  EXPECT_FALSE(ParseStatus("Ongoing").has_value());
  EXPECT_FALSE(ParseFrequency("bi-weekly").has_value());
}

}  // namespace
}  // namespace psea::plan
