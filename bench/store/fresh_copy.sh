# bench/store/fresh_copy.sh — sourced by ab.sh and store_only.sh.
# fresh_copy BIG DB: replace DB (and its WAL files) by a copy of the large store BIG with its
# WAL, read into the page cache so that runs start alike. BIG itself is never written.
fresh_copy() {
	rm -f "$2" "$2-wal" "$2-shm"
	cp "$1" "$2"
	[ ! -f "$1-wal" ] || cp "$1-wal" "$2-wal"
	cat "$2" > /dev/null
}
