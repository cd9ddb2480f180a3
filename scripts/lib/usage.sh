# --help of the scripts: the calling script's header comment (the "#" lines after the shebang).
# Call after the script's `cd` to the repository root.
print_usage() {
  sed -n '2,/^[^#]/{/^#/s/^# \{0,1\}//p}' "scripts/$(basename "$0")"
}
