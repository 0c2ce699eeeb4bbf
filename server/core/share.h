// Where psea finds the files it ships beside its binary: data/ (plans, the public page's
// catalogs) and the built web app. `cmake --install` lays them out as
//   PREFIX/bin/psea, PREFIX/share/psea/data/..., PREFIX/share/psea/web/index.html
// and a build tree has build/psea next to the repository's data/ and web/dist/. They are
// files, not embedded in the binary, because operators replace them without a rebuild (a
// reviewed catalog, a newer web app built by npm) and the web app is built by another
// toolchain.
#pragma once

#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

namespace psea {

// The folders looked in, in order: `share_dir` alone when it is not empty (--share-dir,
// PSEA_SHARE_DIR); else BIN/../share/psea and BIN/.. (BIN: the running binary's folder), the
// working folder and its parent, /usr/share/psea.
std::vector<std::string> ShareRoots(const std::string& share_dir);

// The first ROOT/RELATIVE that exists, over the roots of ShareRoots and then the `relatives`
// in order (ROOT/web, ROOT/web/dist); empty when none does.
std::string FindShared(const std::string& share_dir,
                       std::initializer_list<std::string_view> relatives);

}  // namespace psea
