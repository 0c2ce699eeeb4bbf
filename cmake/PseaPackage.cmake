# The Debian package: `cpack -G DEB` in the build folder (or `cmake --build build --target
# package`) writes psea_<version>_amd64.deb. Its layout:
#   /usr/bin/psea, /usr/sbin/psea-admin        the binary and the wrapper that runs it as psea
#   /usr/share/psea/{data,web}                 the shipped files (core/share.h finds them)
#   /etc/psea/psea.env                         the settings (a conffile, made 0600 by postinst)
#   /lib/systemd/system/psea*.{service,timer}  the hardened service and the daily timers
#   /usr/share/doc/psea, /usr/share/man         copyright, changelog, README.Debian, man pages
# /var/lib/psea and the psea user are made by postinst (packaging/debian/). The files only the
# package needs are in the `debian` install component, which `cmake --install` leaves out.
set(PSEA_DEBIAN_DIR ${PROJECT_SOURCE_DIR}/packaging/debian)
set(PSEA_PACKAGE_MAINTAINER "psea maintainers <maintainers@users.noreply.r-seed-8949a3c9.example>"
    CACHE STRING "Maintainer field of the Debian package")

# The changelog's newest entry must name the version being packaged.
file(STRINGS ${PSEA_DEBIAN_DIR}/changelog PSEA_CHANGELOG_HEAD LIMIT_COUNT 1)
if(NOT PSEA_CHANGELOG_HEAD MATCHES "^psea \\(${PROJECT_VERSION}\\) ")
  message(WARNING "packaging/debian/changelog does not start with version ${PROJECT_VERSION}: "
                  "add an entry before building the package")
endif()

# Debian wants the changelog and man pages compressed with gzip -9n (no name, no timestamp).
find_program(PSEA_GZIP gzip)
set(PSEA_PACKAGE_GENERATED ${PROJECT_BINARY_DIR}/packaging)
file(MAKE_DIRECTORY ${PSEA_PACKAGE_GENERATED})
foreach(pair "changelog:changelog.gz" "psea.1:psea.1.gz" "psea-admin.8:psea-admin.8.gz")
  string(REPLACE ":" ";" pair "${pair}")
  list(GET pair 0 source)
  list(GET pair 1 target)
  set_property(DIRECTORY ${PROJECT_SOURCE_DIR} APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS
               ${PSEA_DEBIAN_DIR}/${source})
  if(PSEA_GZIP)
    execute_process(COMMAND ${PSEA_GZIP} -9nc ${PSEA_DEBIAN_DIR}/${source}
                    OUTPUT_FILE ${PSEA_PACKAGE_GENERATED}/${target})
  endif()
endforeach()

set(PSEA_UNITS psea.service psea-backup.service psea-backup.timer psea-audit-verify.service
    psea-audit-verify.timer psea-retention.service psea-retention.timer)
list(TRANSFORM PSEA_UNITS PREPEND ${PSEA_DEBIAN_DIR}/)
set(PSEA_DOC_DIR /usr/share/doc/psea)
install(FILES ${PSEA_UNITS} DESTINATION /lib/systemd/system COMPONENT debian EXCLUDE_FROM_ALL)
install(FILES ${PSEA_DEBIAN_DIR}/psea.env DESTINATION /etc/psea COMPONENT debian
        EXCLUDE_FROM_ALL)
install(PROGRAMS ${PSEA_DEBIAN_DIR}/psea-admin DESTINATION /usr/sbin COMPONENT debian
        EXCLUDE_FROM_ALL)
install(FILES ${PSEA_DEBIAN_DIR}/copyright ${PSEA_DEBIAN_DIR}/README.Debian
              ${PSEA_PACKAGE_GENERATED}/changelog.gz
        DESTINATION ${PSEA_DOC_DIR} COMPONENT debian EXCLUDE_FROM_ALL)
install(FILES ${PSEA_PACKAGE_GENERATED}/psea.1.gz DESTINATION /usr/share/man/man1
        COMPONENT debian EXCLUDE_FROM_ALL)
install(FILES ${PSEA_PACKAGE_GENERATED}/psea-admin.8.gz DESTINATION /usr/share/man/man8
        COMPONENT debian EXCLUDE_FROM_ALL)

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME psea)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_CONTACT "${PSEA_PACKAGE_MAINTAINER}")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY
    "SEA action plan, complaints and cases for a Conduct and Discipline Team")
# The synopsis is CPACK_PACKAGE_DESCRIPTION_SUMMARY; CPack indents these lines.
set(CPACK_DEBIAN_PACKAGE_DESCRIPTION
    "psea records the action plan against sexual exploitation and abuse of a
peacekeeping mission, and the complaints the Conduct and Discipline Team
receives by hotline, e-mail, SMS and a public page, with identities sealed
for named readers and an append-only audit chain.

This package holds the server and its console tools, the web app, a
hardened systemd service and daily timers for backups, audit verification
and retention. It starts nothing until the database has been created with
psea-admin migrate (see /usr/share/doc/psea/README.Debian).")
set(CPACK_DEBIAN_PACKAGE_SECTION web)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
# dpkg-shlibdeps computes the library dependencies; postinst needs adduser.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS "adduser")
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "postgresql-client-15, nginx")
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA
    ${PSEA_DEBIAN_DIR}/postinst ${PSEA_DEBIAN_DIR}/prerm ${PSEA_DEBIAN_DIR}/postrm
    ${PSEA_DEBIAN_DIR}/conffiles)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
set(CPACK_STRIP_FILES ON)
set(CPACK_INSTALL_DEFAULT_DIRECTORY_PERMISSIONS
    OWNER_READ OWNER_WRITE OWNER_EXECUTE GROUP_READ GROUP_EXECUTE WORLD_READ WORLD_EXECUTE)
# One package with the default files and the `debian` component.
set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_COMPONENTS_ALL Unspecified debian)
set(CPACK_COMPONENTS_GROUPING ALL_COMPONENTS_IN_ONE)
set(CPACK_SOURCE_GENERATOR "")
include(CPack)
