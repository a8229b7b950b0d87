# tests/e2e/learning_seed.sh - sourced by learning_report.test.sh and
# browser_learning.test.sh (after lib.sh): learning_seed DB fills a fresh
# database with the demo people, six more (Biro SDM 7, Bappeda 6, Dinas
# Kominfo 3, Inspektorat 2), the sample catalogue, and hand-picked
# profiles, JP and plans whose report is worked out in the comments
# (k = 5, the default):
#   needs  analisis data: Biro SDM 5 people, gaps 2+1+2+1+2 -> mean 1.6;
#          Bappeda 2 + Dinas Kominfo 1 pooled: 3 < 5 -> suppressed
#          komunikasi: Bappeda 5, mean 1.0
#          perencanaan anggaran: Biro SDM 5, mean 2.0 (no item: a gap)
#          manajemen talenta: Biro SDM 2 pooled -> suppressed (no gap)
#   progress (this year, WIB) Biro SDM 7: 1 in progress, 1 done, 1 dropped,
#          2 of 7 at 20 JP (29%), median 450 min = 10.0 JP; Bappeda 6: 1 of 6
#          (17%), median 0.0; Dinas Kominfo 3 + Inspektorat 2 pooled: 5,
#          1 of 5 (20%).
learning_seed() {
    local db=$1 y now
    y=$(TZ=Asia/Jakarta date +%Y)
    now=$(date +%s)
    {
        cat config/demo-people.csv
        printf '%s\n' "199501012020011101,Bima Saputra,Biro SDM" "199501012020011102,Citra Lestari,Biro SDM" \
            "199501012020011103,Dodi Kurniawan,Biro SDM" "199501012020011104,Eka Putri,Bappeda" \
            "199501012020011105,Gita Rahayu,Bappeda" "199501012020011106,Hana Wulandari,Bappeda" |
            sed 's/$/,Analis,III\/a,employee,id,WIB,,,,,,P/'
    } >"$TMP/learning-people.csv"
    "$BIN" --db "$db" people import "$TMP/learning-people.csv" >/dev/null || e2e_abort "people import failed"
    "$BIN" --db "$db" catalog import config/learning-catalog.csv >/dev/null || e2e_abort "catalog import failed"
    sqlite3 "$db" "
    CREATE TEMP TABLE need(nip TEXT, comp TEXT, cur INT, tgt INT);
    INSERT INTO need VALUES
     ('198501012010012001','analisis data',1,3), ('197803032005032003','analisis data',2,3),
     ('199512122020122011','analisis data',1,3), ('199501012020011101','analisis data',1,2),
     ('199501012020011102','analisis data',2,4),
     ('198208082008011006','analisis data',1,2), ('199107072017012009','analisis data',2,3),
     ('199002022015021002','analisis data',1,3),
     ('198208082008011006','komunikasi',2,3), ('199107072017012009','komunikasi',2,3),
     ('198709092012121012','komunikasi',2,3), ('199501012020011104','komunikasi',2,3),
     ('199501012020011105','komunikasi',2,3),
     ('198501012010012001','perencanaan anggaran',1,3), ('197803032005032003','perencanaan anggaran',1,3),
     ('197001012000011013','perencanaan anggaran',1,3), ('199501012020011101','perencanaan anggaran',1,3),
     ('199501012020011103','perencanaan anggaran',1,3),
     ('198501012010012001','manajemen talenta',2,3), ('197803032005032003','manajemen talenta',1,3),
     ('199512122020122011','integritas',3,3);
    INSERT INTO learning_profile(person_id, competency, current, target, source, updated_at)
     SELECT p.id, n.comp, n.cur, n.tgt, 'self', $now FROM need n JOIN people p ON p.nip = n.nip;
    CREATE TEMP TABLE jp(nip TEXT, minutes INT);
    INSERT INTO jp VALUES ('198501012010012001',900), ('197803032005032003',1200),
     ('199512122020122011',450), ('199501012020011101',600), ('199501012020011102',300),
     ('198208082008011006',900), ('199002022015021002',1000);
    INSERT INTO learning_log(person_id, at, day, title, kind, minutes)
     SELECT p.id, $now, '$y-01-15', 'Pelatihan', 'pelatihan', j.minutes FROM jp j JOIN people p ON p.nip = j.nip;
    INSERT INTO learning_plan(person_id, item_id, state, started_at, ended_at, rating)
     SELECT id, 'el-analisis-data', 'started', $now - 86400, 0, 0 FROM people WHERE nip = '198501012010012001';
    INSERT INTO learning_plan(person_id, item_id, state, started_at, ended_at, rating)
     SELECT id, 'el-data-viz', 'done', $now - 86400 * 3, $now - 86400, 4 FROM people WHERE nip = '197803032005032003';
    INSERT INTO learning_plan(person_id, item_id, state, started_at, ended_at, rating)
     SELECT id, 'el-excel-lanjut', 'dropped', $now - 86400 * 3, $now - 86400, 0 FROM people WHERE nip = '199512122020122011';
    " || e2e_abort "seeding learning data failed"
}
