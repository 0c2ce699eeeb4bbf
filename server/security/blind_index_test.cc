// The keyed blind index of identities: one tag per normalised identity, per key and purpose.
#include "security/blind_index.h"

#include <gtest/gtest.h>

namespace psea::security {
namespace {

TEST(BlindIndexTest, NormalisesCaseSpacingPunctuationAndWordOrder) {
  EXPECT_EQ(BlindIndex::Normalise("  Vaxley,  TORMUND "), "tormund vaxley");
  EXPECT_EQ(BlindIndex::Normalise("tormund-vaxley."), "tormund vaxley");
  EXPECT_EQ(BlindIndex::Normalise(" ,.- "), "");
}

TEST(BlindIndexTest, TagsDependOnTheIdentityTheKeyAndThePurpose) {
  InitCrypto();
  const SecretBytes key(std::string(32, 'k'));
  const BlindIndex index(key, "cases.subject");
  const std::string tag = index.Tag("Tormund Vaxley");
  EXPECT_EQ(tag.size(), 64u);
  EXPECT_EQ(index.Tag("VAXLEY, Tormund"), tag);
  EXPECT_NE(index.Tag("Tormund Vaxleigh"), tag);
  EXPECT_EQ(index.Tag("  "), "");
  EXPECT_NE(BlindIndex(SecretBytes(std::string(32, 'j')), "cases.subject").Tag("Tormund Vaxley"),
            tag);
  EXPECT_NE(BlindIndex(key, "cases.victim").Tag("Tormund Vaxley"), tag);
  // The tag is not a plain hash of the name: nothing of it is readable without the key.
  EXPECT_EQ(tag.find("tormund"), std::string::npos);
}

}  // namespace
}  // namespace psea::security
