# Shared set-up for scripts/test and scripts/demo (sourced, not run).
#
# Brings the machine to what OpenGlue needs, installing only what is missing: a virtualenv in
# .venv with the project and the exact versions pinned in requirements/constraints.txt, and,
# for the tests, PostgreSQL server binaries and the npm packages of tests/node and
# examples/node. Every step is idempotent; a second run with nothing changed takes a second or
# two.
#
# The caller sets `set -euo pipefail` and cds to the repository root first.

OPENGLUE_MIN_PYTHON="3.11"

stage() {
    printf '\n==> %s\n' "$*"
}

die() {
    printf 'openglue: %s\n' "$*" >&2
    exit 1
}

# Run a command as root: directly when we are root, through sudo otherwise.
as_root() {
    if [ "$(id -u)" -eq 0 ]; then
        "$@"
    elif command -v sudo >/dev/null 2>&1; then
        sudo "$@"
    else
        die "installing system packages needs root or sudo; run as root, or install by hand: $*"
    fi
}

_apt_updated=""

apt_install() {
    command -v apt-get >/dev/null 2>&1 || die "apt-get not found; install these packages by hand: $*"
    if [ -z "$_apt_updated" ]; then
        as_root apt-get update -qq
        _apt_updated=1
    fi
    echo "Installing Debian packages: $*"
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@"
}

# Prints the first Python >= 3.11 found ($OPENGLUE_PYTHON wins when set).
find_python() {
    local candidate
    for candidate in "${OPENGLUE_PYTHON:-}" python3 python3.13 python3.12 python3.11; do
        [ -n "$candidate" ] || continue
        command -v "$candidate" >/dev/null 2>&1 || continue
        if "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
            command -v "$candidate"
            return 0
        fi
    done
    return 1
}

_make_venv() {
    local python=$1
    # Debian ships venv's pip bootstrap in a separate package (python3-venv): without it the
    # venv is created without pip, so check for pip rather than for the directory.
    if "$python" -m venv .venv >/dev/null 2>&1 && .venv/bin/python -m pip --version >/dev/null 2>&1; then
        return 0
    fi
    rm -rf .venv
    apt_install python3-venv
    "$python" -m venv .venv
}

ensure_venv() {
    stage "Python environment (.venv)"
    if [ ! -x .venv/bin/python ] || ! .venv/bin/python -m pip --version >/dev/null 2>&1; then
        local python
        python=$(find_python) || die "Python >= $OPENGLUE_MIN_PYTHON not found (set OPENGLUE_PYTHON)"
        echo "Creating .venv with $python ($("$python" --version 2>&1))"
        rm -rf .venv
        _make_venv "$python"
    fi
    # Reinstall only when what decides the install changed: the project's metadata, the pins,
    # the interpreter, or where the repository lives (the install is editable).
    local stamp=.venv/.openglue-install-stamp key
    key=$(
        {
            cat pyproject.toml requirements/constraints.txt
            .venv/bin/python -VV
            pwd
        } | sha256sum | cut -d' ' -f1
    )
    if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$key" ]; then
        echo "Up to date ($(.venv/bin/python --version), pinned by requirements/constraints.txt)."
        return 0
    fi
    echo "Installing OpenGlue and its pinned dependencies into .venv ..."
    .venv/bin/python -m pip install -q --disable-pip-version-check \
        -c requirements/constraints.txt -e '.[dev]'
    echo "$key" >"$stamp"
    echo "Installed ($(.venv/bin/python --version))."
}

_pg_binaries_found() {
    command -v pg_ctl >/dev/null 2>&1 && return 0
    compgen -G '/usr/lib/postgresql/*/bin/pg_ctl' >/dev/null
}

ensure_postgres() {
    stage "PostgreSQL server binaries (for the store contract tests)"
    # As root the tests run the throwaway cluster as the `postgres` user, which Debian's
    # package creates; so as root both the binaries and that user must be there.
    if _pg_binaries_found && { [ "$(id -u)" -ne 0 ] || id postgres >/dev/null 2>&1; }; then
        echo "Found."
        return 0
    fi
    apt_install postgresql
    _pg_binaries_found || die "PostgreSQL was installed but pg_ctl is still not found"
}

# Classic Spark (the awsglue runtime's reference engine) runs on a Java runtime (17 or later);
# the Sail engine does not need one.
ensure_java() {
    stage "Java runtime (for the Spark engine)"
    if command -v java >/dev/null 2>&1; then
        echo "Found: $(java -version 2>&1 | head -n 1)."
        return 0
    fi
    if command -v apt-get >/dev/null 2>&1 && { [ "$(id -u)" -eq 0 ] || command -v sudo >/dev/null 2>&1; }; then
        apt_install default-jre-headless
        command -v java >/dev/null 2>&1 || die "default-jre-headless was installed but java is still not found"
        echo "Installed: $(java -version 2>&1 | head -n 1)."
        return 0
    fi
    echo "java not found, and it cannot be installed from here. Install a Java 17+ runtime"
    echo "(Debian/Ubuntu: sudo apt-get install default-jre-headless), or set JAVA_HOME."
    echo "Without it the Spark engine tests fail; OPENGLUE_ENGINE=sail runs jobs without Java."
}

# MariaDB server binaries: the tests of awsglue's mysql connection type start a throwaway server.
ensure_mariadb() {
    stage "MariaDB server binaries (for the mysql JDBC tests)"
    if { command -v mariadbd >/dev/null 2>&1 || [ -x /usr/sbin/mariadbd ]; } &&
        command -v mariadb-install-db >/dev/null 2>&1 &&
        { [ "$(id -u)" -ne 0 ] || id mysql >/dev/null 2>&1; }; then
        echo "Found."
        return 0
    fi
    apt_install mariadb-server
}

# JDBC driver jars for classic Spark's PostgreSQL and MySQL sources and sinks: awsglue looks for
# Debian's in /usr/share/java (OPENGLUE_JDBC_JARS overrides). Sail reads JDBC without them.
ensure_jdbc_drivers() {
    stage "JDBC drivers (PostgreSQL, MariaDB for MySQL) for the Spark engine"
    if [ -f /usr/share/java/postgresql.jar ] && [ -f /usr/share/java/mariadb-java-client.jar ]; then
        echo "Found."
        return 0
    fi
    if command -v apt-get >/dev/null 2>&1 && { [ "$(id -u)" -eq 0 ] || command -v sudo >/dev/null 2>&1; }; then
        apt_install libpostgresql-jdbc-java libmariadb-java
        return 0
    fi
    echo "Not found, and they cannot be installed from here: install the PostgreSQL and MariaDB"
    echo "JDBC drivers (Debian: libpostgresql-jdbc-java libmariadb-java), or point"
    echo "OPENGLUE_JDBC_JARS at their jars. Without them the Spark engine's JDBC tests fail."
}

ensure_node_packages() {
    # tests/node: the SDK client tests; examples/node: the Node.js examples, run by the tests.
    local dir stamp key
    for dir in tests/node examples/node; do
        [ -f "$dir/package-lock.json" ] || continue
        stage "npm packages ($dir)"
        if ! command -v npm >/dev/null 2>&1; then
            apt_install nodejs npm
        fi
        stamp=$dir/node_modules/.openglue-install-stamp
        key=$(sha256sum <"$dir/package-lock.json" | cut -d" " -f1)
        if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$key" ]; then
            echo "Up to date (node $(node --version))."
            continue
        fi
        (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
        echo "$key" >"$stamp"
        echo "Installed (node $(node --version))."
    done
}
