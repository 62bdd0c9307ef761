//! HEIC files as phones write them, made from heif-enc's output by editing
//! its boxes (heif-enc writes neither a rotation nor a grid of several
//! tiles): [`rotate`] adds an `irot` property to the primary image,
//! [`grid`] joins four images into one 2×2 grid. Only what the tests need
//! of ISO-BMFF is read: boxes, `pitm`, `iloc`, `iinf`, `iprp`, `iref`.

use std::path::Path;

/// A box: where it starts, its size, its type.
#[derive(Clone, Copy)]
struct BoxAt {
    at: usize,
    size: usize,
    kind: [u8; 4],
}

fn boxes(b: &[u8], start: usize, end: usize) -> Vec<BoxAt> {
    let mut out = Vec::new();
    let mut i = start;
    while i + 8 <= end {
        let size = read(b, i, 4) as usize;
        out.push(BoxAt {
            at: i,
            size,
            kind: b[i + 4..i + 8].try_into().unwrap(),
        });
        i += size.max(8);
    }
    out
}

fn find(b: &[u8], start: usize, end: usize, kind: &[u8; 4]) -> BoxAt {
    *boxes(b, start, end)
        .iter()
        .find(|x| &x.kind == kind)
        .unwrap_or_else(|| panic!("no {} box", String::from_utf8_lossy(kind)))
}

fn read(b: &[u8], at: usize, n: usize) -> u64 {
    b[at..at + n].iter().fold(0, |v, &x| v << 8 | u64::from(x))
}

fn write(b: &mut [u8], at: usize, n: usize, v: u64) {
    for k in 0..n {
        b[at + k] = (v >> (8 * (n - 1 - k))) as u8;
    }
}

/// The file's `meta` box and the children the edits touch.
struct Meta {
    meta: BoxAt,
    primary: u64,
    iloc: BoxAt,
    iinf: BoxAt,
    iprp: BoxAt,
    ipco: BoxAt,
    ipma: BoxAt,
}

fn meta(d: &[u8]) -> Meta {
    let meta = find(d, 0, d.len(), b"meta");
    let (s, e) = (meta.at + 12, meta.at + meta.size);
    let pitm = find(d, s, e, b"pitm");
    let iprp = find(d, s, e, b"iprp");
    Meta {
        meta,
        primary: read(d, pitm.at + 12, 2),
        iloc: find(d, s, e, b"iloc"),
        iinf: find(d, s, e, b"iinf"),
        iprp,
        ipco: find(d, iprp.at + 8, iprp.at + iprp.size, b"ipco"),
        ipma: find(d, iprp.at + 8, iprp.at + iprp.size, b"ipma"),
    }
}

/// One item's place in `iloc`: its construction method (0: file offsets,
/// 1: inside `idat`) and where each extent's offset is written.
struct Located {
    item: u64,
    method: u64,
    /// (where the offset is written, its width, the offset)
    offsets: Vec<(usize, usize, u64)>,
}

fn iloc(d: &[u8], b: BoxAt) -> Vec<Located> {
    let v = d[b.at + 8];
    let mut j = b.at + 12;
    let (osz, lsz) = ((d[j] >> 4) as usize, (d[j] & 15) as usize);
    let bsz = (d[j + 1] >> 4) as usize;
    let isz = if v == 1 || v == 2 {
        (d[j + 1] & 15) as usize
    } else {
        0
    };
    j += 2;
    let id_len = if v < 2 { 2 } else { 4 };
    let n = read(d, j, id_len);
    j += id_len;
    let mut out = Vec::new();
    for _ in 0..n {
        let item = read(d, j, id_len);
        j += id_len;
        let mut method = 0;
        if v == 1 || v == 2 {
            method = read(d, j, 2) & 15;
            j += 2;
        }
        j += 2;
        let mut offsets = vec![(j, bsz, read(d, j, bsz))];
        j += bsz;
        let extents = read(d, j, 2);
        j += 2;
        for _ in 0..extents {
            j += isz;
            offsets.push((j, osz, read(d, j, osz)));
            j += osz + lsz;
        }
        out.push(Located {
            item,
            method,
            offsets,
        });
    }
    out
}

/// Move every file offset in `iloc` by `delta` (bytes inserted before the
/// data). The base offset moves when it is set, else each extent's.
fn shift_offsets(d: &mut [u8], m: &Meta, delta: u64) {
    for l in iloc(d, m.iloc).into_iter().filter(|l| l.method == 0) {
        let (at, n, base) = l.offsets[0];
        if n > 0 && base > 0 {
            write(d, at, n, base + delta);
        } else {
            for &(at, n, off) in &l.offsets[1..] {
                write(d, at, n, off + delta);
            }
        }
    }
}

/// (item id, item type, where its `infe` box starts), from `iinf`.
fn items(d: &[u8], iinf: BoxAt) -> Vec<(u64, [u8; 4], usize)> {
    let first = iinf.at + 12 + if d[iinf.at + 8] == 0 { 2 } else { 4 };
    boxes(d, first, iinf.at + iinf.size)
        .iter()
        .map(|b| {
            // infe version 2: version, flags, id (2), protection (2), type.
            let id = read(d, b.at + 12, 2);
            (id, d[b.at + 16..b.at + 20].try_into().unwrap(), b.at)
        })
        .collect()
}

/// The primary item's associated properties (1-based indexes into
/// `ipco`), and where its association count is written and where its
/// associations end.
fn associations(d: &[u8], m: &Meta) -> (Vec<u64>, usize, usize, bool) {
    let (version, wide) = (d[m.ipma.at + 8], d[m.ipma.at + 11] & 1 == 1);
    let id_len = if version < 1 { 2 } else { 4 };
    let mut j = m.ipma.at + 16;
    for _ in 0..read(d, m.ipma.at + 12, 4) {
        let item = read(d, j, id_len);
        j += id_len;
        let count_at = j;
        let width = if wide { 2 } else { 1 };
        let props: Vec<u64> = (0..d[j] as usize)
            .map(|k| read(d, j + 1 + k * width, width) & if wide { 0x7fff } else { 0x7f })
            .collect();
        j += 1 + props.len() * width;
        if item == m.primary {
            return (props, count_at, j, wide);
        }
    }
    panic!("the primary item has no properties");
}

fn edit(path: &Path, f: impl FnOnce(&mut Vec<u8>)) {
    let mut d = std::fs::read(path).unwrap();
    f(&mut d);
    std::fs::write(path, d).unwrap();
}

/// Give a HEIC's primary image an `irot` property (`turns` quarter turns
/// anticlockwise), as a phone stores a photo taken sideways.
pub fn rotate(path: &Path, turns: u8) {
    edit(path, |d| {
        let m = meta(d);
        let index = boxes(d, m.ipco.at + 8, m.ipco.at + m.ipco.size).len() as u64 + 1;
        let irot = [0, 0, 0, 9, b'i', b'r', b'o', b't', turns & 3];
        let (_, count_at, end, wide) = associations(d, &m);
        let assoc: Vec<u8> = if wide {
            (0x8000 | index as u16).to_be_bytes().to_vec()
        } else {
            vec![0x80 | index as u8]
        };
        let delta = irot.len() + assoc.len();
        // iloc comes before iprp, so its bytes stay where they are.
        shift_offsets(d, &m, delta as u64);
        d.splice(end..end, assoc.iter().copied());
        d[count_at] += 1;
        write(d, m.ipma.at, 4, (m.ipma.size + assoc.len()) as u64);
        let ipco_end = m.ipco.at + m.ipco.size;
        d.splice(ipco_end..ipco_end, irot);
        write(d, m.ipco.at, 4, (m.ipco.size + irot.len()) as u64);
        write(d, m.iprp.at, 4, (m.iprp.size + delta) as u64);
        write(d, m.meta.at, 4, (m.meta.size + delta) as u64);
    });
}

/// Join the four images of a heif-enc file made from four `w`×`h`
/// pictures into one 2×2 grid (first two on top), the primary image, with
/// the others hidden, as phones store a photo in tiles. heif-enc (libheif
/// 1.15) stores each picture as a 1×1 grid of one tile; the first grid's
/// descriptor, size and references are made 2×2.
pub fn grid(path: &Path, (w, h): (u32, u32)) {
    edit(path, |d| {
        let m = meta(d);
        let all = items(d, m.iinf);
        let tiles: Vec<u64> = all
            .iter()
            .filter(|i| &i.1 == b"hvc1")
            .map(|i| i.0)
            .collect();
        assert_eq!(tiles.len(), 4, "four pictures, four tiles");
        let grids: Vec<&(u64, [u8; 4], usize)> = all.iter().filter(|i| &i.1 == b"grid").collect();
        assert!(
            grids.iter().any(|g| g.0 == m.primary),
            "this heif-enc writes no grid items (the test knows libheif 1.15's files)"
        );
        // The primary grid's descriptor, kept in idat: 2 rows, 2 columns.
        let located = iloc(d, m.iloc);
        let l = located.iter().find(|l| l.item == m.primary).unwrap();
        assert_eq!(l.method, 1, "the grid descriptor is in idat");
        let idat = find(d, m.meta.at + 12, m.meta.at + m.meta.size, b"idat");
        let at = idat.at + 8 + (l.offsets[0].2 + l.offsets[1].2) as usize;
        d[at + 2] = 1;
        d[at + 3] = 1;
        let wide = d[at + 1] & 1 == 1;
        let n = if wide { 4 } else { 2 };
        write(d, at + 4, n, u64::from(2 * w));
        write(d, at + 4 + n, n, u64::from(2 * h));
        // Its size property (its own, not shared with the tiles).
        let (props, ..) = associations(d, &m);
        let ipco = boxes(d, m.ipco.at + 8, m.ipco.at + m.ipco.size);
        let ispe = props
            .iter()
            .map(|&p| ipco[p as usize - 1])
            .find(|b| &b.kind == b"ispe")
            .expect("the grid has a size");
        write(d, ispe.at + 12, 4, u64::from(2 * w));
        write(d, ispe.at + 16, 4, u64::from(2 * h));
        // The other grids are hidden: the file holds one picture.
        for g in grids.iter().filter(|g| g.0 != m.primary) {
            d[g.2 + 11] |= 1;
        }
        // iref: the primary grid refers to the four tiles; the other
        // references stay.
        let iref = find(d, m.meta.at + 12, m.meta.at + m.meta.size, b"iref");
        assert_eq!(d[iref.at + 8], 0, "iref version 0");
        let mut body = vec![0u8; 4];
        let mut entry = |kind: &[u8], from: u64, to: &[u64]| {
            body.extend_from_slice(&(12 + 2 * to.len() as u32).to_be_bytes());
            body.extend_from_slice(kind);
            body.extend_from_slice(&(from as u16).to_be_bytes());
            body.extend_from_slice(&(to.len() as u16).to_be_bytes());
            for t in to {
                body.extend_from_slice(&(*t as u16).to_be_bytes());
            }
        };
        entry(b"dimg", m.primary, &tiles);
        for r in boxes(d, iref.at + 12, iref.at + iref.size) {
            let from = read(d, r.at + 8, 2);
            if from != m.primary || &r.kind != b"dimg" {
                let to: Vec<u64> = (0..read(d, r.at + 10, 2) as usize)
                    .map(|k| read(d, r.at + 12 + 2 * k, 2))
                    .collect();
                entry(&r.kind, from, &to);
            }
        }
        let mut new = (8 + body.len() as u32).to_be_bytes().to_vec();
        new.extend_from_slice(b"iref");
        new.extend(body);
        assert!(iref.at > m.iloc.at, "iref after iloc");
        let delta = new.len() - iref.size;
        shift_offsets(d, &m, delta as u64);
        d.splice(iref.at..iref.at + iref.size, new);
        write(d, m.meta.at, 4, (m.meta.size + delta) as u64);
    });
}
