/*
 * store.h — chapar's storage: SQLite (WAL) behind one interface; SQL and connections stay in
 * src/store.
 */
#ifndef CHAPAR_STORE_H
#define CHAPAR_STORE_H

#include "core/core.h"

#endif
