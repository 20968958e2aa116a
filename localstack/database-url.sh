# Sourced by the local stack's scripts and the Makefile: the one default database of the local
# stack and its tests (the machine's own Postgres, trust auth); DATABASE_URL overrides it.
: "${DATABASE_URL:=postgres://postgres@127.0.0.1:5432/shop}"
export DATABASE_URL
