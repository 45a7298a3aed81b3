#!/usr/bin/env bats
# jls(8): the default table byte for byte, -N, -v, parameter mode (-n -h -q -s, all), -j,
# libxo JSON and XML.

LJT_TAG=ls
load helpers

setup_file() { common_setup_file; }
teardown_file() { common_teardown_file; }

HEADER="   JID  IP Address      Hostname                      Path"

row() { printf '%6d  %-15.15s %-29.29s %.74s\n' "$@"; }

@test "jls with no jail prints only the header" {
    run --separate-stderr "$JLS"
    assert_success
    assert_output "$HEADER"
    assert_stderr ""
}

@test "default table, byte for byte, in jid order, with truncated hostname and path" {
    a=$(jname a)
    b=$(jname b)
    longhost=abcdefghij.abcdefghij.abcdefghij.example
    longroot="$LJT_TMP/a-rather-long-directory-name-to-pass-seventy-four-characters/root"
    make_root "$longroot"
    mkjail "$a" host.hostname=short
    run --separate-stderr "$JAIL" -c name="$b" path="$longroot" persist host.hostname=$longhost \
        ip4.addr=192.0.2.10,192.0.2.11
    assert_success
    ja=$(jid_of "$a")
    jb=$(jid_of "$b")
    run --separate-stderr "$JLS"
    assert_success
    assert_output "$HEADER
$(row "$ja" "" short "$LJT_ROOT")
$(row "$jb" 192.0.2.10 "$longhost" "$longroot")"
    [ "${#longroot}" -gt 74 ] || fail "test bug: path not long enough"
}

@test "jls -N shows names instead of jids" {
    n=$(jname)
    mkjail "$n" host.hostname=nhost
    run --separate-stderr "$JLS" -N
    assert_success
    assert_output " JID             IP Address      Hostname                      Path
$(printf ' %-15s %-15.15s %-29.29s %.74s' "$n" "" nhost "$LJT_ROOT")"
}

@test "jls -v prints the multi-line summary" {
    n=$(jname)
    mkjail "$n" host.hostname=vhost ip4.addr=192.0.2.20,192.0.2.21
    jid=$(jid_of "$n")
    run --separate-stderr "$JLS" -v
    assert_success
    mapfile -t lines <<<"$output"
    assert_eq "${lines[0]}" "   JID  Hostname                      Path" "header line 1"
    assert_eq "${lines[1]}" "        Name                          State" "header line 2"
    assert_eq "${lines[2]}" "        CPUSetID" "header line 3"
    assert_eq "${lines[3]}" "        IP Address(es)" "header line 4"
    assert_eq "${lines[4]}" "$(printf '%6d  %-29.29s %.74s' "$jid" vhost "$LJT_ROOT")" "row line 1"
    assert_eq "${lines[5]}" "$(printf '        %-29.29s %.74s' "$n" ACTIVE)" "row line 2"
    [[ "${lines[6]}" =~ ^\ {8}-?[0-9]+$ ]] || fail "row line 3 is not a cpuset id: '${lines[6]}'"
    assert_eq "${lines[7]}" "        192.0.2.20" "address line 1"
    assert_eq "${lines[8]}" "        192.0.2.21" "address line 2"
    assert_eq "${#lines[@]}" 9 "number of lines"
}

@test "jls -j NAME|JID param... prints the bare values" {
    n=$(jname)
    mkjail "$n" host.hostname=phost
    jid=$(jid_of "$n")
    [[ "$jid" =~ ^[1-9][0-9]*$ ]] || fail "jls -j $n jid printed '$jid'"
    run --separate-stderr "$JLS" -j "$n" name
    assert_success
    assert_output "$n"
    run --separate-stderr "$JLS" -j "$jid" name jid host.hostname path persist
    assert_success
    assert_output "$n $jid phost $LJT_ROOT true"
    run --separate-stderr "$JLS" -j "$n" -n name host.hostname persist
    assert_output "name=$n host.hostname=phost persist"
    run --separate-stderr "$JLS" -j "$n" -h jid name
    assert_output "jid name
$jid $n"
    run --separate-stderr "$JLS" name
    assert_output "$n"
}

@test "empty list parameter: '-' plain, nothing with -n, \"\" with -q" {
    n=$(jname)
    mkjail "$n"
    run "$JLS" -j "$n" ip4.addr
    assert_output "-"
    run "$JLS" -j "$n" -n ip4.addr
    assert_output "ip4.addr="
    run "$JLS" -j "$n" -q ip4.addr
    assert_output '""'
}

@test "list parameters are joined with commas" {
    n=$(jname)
    mkjail "$n" ip4.addr=192.0.2.30 ip4.addr=192.0.2.31
    run --separate-stderr "$JLS" -j "$n" ip4.addr
    assert_success
    assert_output "192.0.2.30,192.0.2.31"
    run --separate-stderr "$JLS" -j "$n" -n ip4.addr
    assert_output "ip4.addr=192.0.2.30,192.0.2.31"
}

@test "jls -n, -h and all list every parameter, consistently" {
    n=$(jname)
    mkjail "$n" host.hostname=allhost
    jid=$(jid_of "$n")
    run --separate-stderr "$JLS" -j "$n" -n
    assert_success
    for w in "jid=$jid" "name=$n" "path=$LJT_ROOT" "host.hostname=allhost" persist; do
        [[ " $output " == *" $w "* ]] || { show_run; fail "jls -n does not list $w"; }
    done
    run --separate-stderr "$JLS" -j "$n" -n all
    assert_success
    [[ " $output " == *" name=$n "* ]] || { show_run; fail "jls -n all does not list name=$n"; }
    run --separate-stderr "$JLS" -j "$n" -hq
    assert_success
    mapfile -t lines <<<"$output"
    assert_eq "${#lines[@]}" 2 "number of lines of jls -hq"
    read -ra names <<<"${lines[0]}"
    eval "values=(${lines[1]})"
    assert_eq "${#values[@]}" "${#names[@]}" "number of values vs names"
    for k in "${!names[@]}"; do
        case "${names[$k]}" in
        name) assert_eq "${values[$k]}" "$n" "name" ;;
        jid) assert_eq "${values[$k]}" "$jid" "jid" ;;
        path) assert_eq "${values[$k]}" "$LJT_ROOT" "path" ;;
        host.hostname) assert_eq "${values[$k]}" allhost "host.hostname" ;;
        esac
    done
}

@test "jls -s prints parameters jail -c accepts (round trip)" {
    n=$(jname)
    mkjail "$n" host.hostname=shost host.domainname=sdom stop.timeout=3
    run --separate-stderr "$JLS" -j "$n" -s
    assert_success
    saved=$output
    for w in "name=$n" "path=$LJT_ROOT" host.hostname=shost persist; do
        [[ " $saved " == *" $w "* ]] || { show_run; fail "jls -s does not list $w"; }
    done
    [[ " $saved " != *" dying"* && " $saved " != *" nodying"* ]] || fail "jls -s lists read-only dying"
    run --separate-stderr "$JAIL" -r "$n"
    assert_success
    eval "run --separate-stderr \"\$JAIL\" -c $saved"
    assert_success
    run "$JLS" -j "$n" -s
    assert_output "$saved"
}

@test "jls -q quotes values with spaces" {
    n=$(jname)
    run --separate-stderr "$JAIL" -c name="$n" path="$LJT_ROOT" persist "host.domainname=a b"
    assert_success
    run "$JLS" -j "$n" host.domainname
    assert_output "a b"
    run "$JLS" -j "$n" -q host.domainname
    assert_output '"a b"'
    run "$JLS" -j "$n" -nq host.domainname
    assert_output 'host.domainname="a b"'
}

@test "jls -j of an unknown jail: not found, exit 1" {
    run --separate-stderr "$JLS" -j "bt${LJT_TAG}nosuch"
    assert_status 1
    assert_stderr_contains "not found"
    assert_output ""
    run --separate-stderr "$JLS" -j 999999 name
    assert_status 1
    assert_stderr_contains "not found"
}

@test "jls -d is accepted" {
    n=$(jname)
    mkjail "$n"
    run --separate-stderr "$JLS" -d -j "$n" name
    assert_success
    assert_output "$n"
}

@test "jls --libxo json: parameters, exact text" {
    n=$(jname)
    mkjail "$n" host.hostname=jhost
    run --separate-stderr "$JLS" -j "$n" --libxo json name host.hostname
    assert_success
    assert_output "{\"__version\": \"2\", \"jail-information\": {\"jail\": [{\"name\":\"$n\",\"host.hostname\":\"jhost\"}]}}"
    run --separate-stderr "$JLS" --libxo json -j "$n" persist ip4.addr
    assert_success
    jq -e '.["jail-information"].jail[0].persist == true' <<<"$output" >/dev/null ||
        { show_run; fail "persist is not JSON true"; }
}

@test "jls --libxo json: default table and -v" {
    a=$(jname a)
    b=$(jname b)
    mkjail "$a" host.hostname=ja
    mkjail "$b" host.hostname=jb ip4.addr=192.0.2.40
    run --separate-stderr "$JLS" --libxo json
    assert_success
    jq -e . <<<"$output" >/dev/null || { show_run; fail "not JSON"; }
    run jq -c --arg a "$a" --arg b "$b" '[.["__version"], (.["jail-information"].jail[] | [(.jid|tostring), .ipv4, .hostname, .path])]' <<<"$output"
    assert_output "[\"2\",[\"$(jid_of "$a")\",\"\",\"ja\",\"$LJT_ROOT\"],[\"$(jid_of "$b")\",\"192.0.2.40\",\"jb\",\"$LJT_ROOT\"]]"
    run --separate-stderr "$JLS" --libxo json -v -j "$b"
    assert_success
    run jq -c '.["jail-information"].jail[0] | [(.jid|tostring), .hostname, .path, .name, .state]' <<<"$output"
    assert_output "[\"$(jid_of "$b")\",\"jb\",\"$LJT_ROOT\",\"$b\",\"ACTIVE\"]"
}

@test "jls --libxo json with no jail" {
    run --separate-stderr "$JLS" --libxo json
    assert_success
    jq -e '.["__version"] == "2" and (.["jail-information"].jail // []) == []' <<<"$output" >/dev/null ||
        { show_run; fail "not an empty jail-information"; }
}

@test "jls --libxo xml" {
    n=$(jname)
    mkjail "$n"
    run --separate-stderr "$JLS" -j "$n" --libxo xml name
    assert_success
    assert_output_contains "<jail-information"
    assert_output_contains "<jail><name>$n</name></jail>"
}

@test "jls with a bad flag prints the usage and exits 1" {
    run --separate-stderr "$JLS" -Z
    assert_status 1
    assert_stderr_contains "usage: jls"
}
