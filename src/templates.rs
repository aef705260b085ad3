//! A streaming log-template miner in the spirit of Drain (He et al., ICWS 2017): lines that
//! differ only in what varies (numbers, ids, hex, paths, IPs, quoted values, timestamps) share
//! one template, with `<*>` where they differ. A crash loop of one unknown error is one
//! template with a count, not a wall of lines.
//!
//! How a message is placed: its variable parts are masked ([`mask`]); the masked tokens are
//! looked up in a fixed-depth prefix tree (token count, then the first [`PREFIX_TOKENS`]
//! tokens, a token holding a `<*>` counting as `<*>`), and among the templates of that leaf
//! the most similar one (the share of positions holding the same token) takes the line if it
//! reaches the similarity threshold; positions that differ become `<*>`. Otherwise the line
//! starts a template of its own.
//!
//! Memory is bounded: past [`MinerOptions::max_templates`], the least recently used tenth of
//! the templates is evicted (and handed to the caller if asked for), and the tree's empty
//! leaves with them.
//!
//! [`message_body`] finds where a raw line's header (time, pid, host, level, component) ends
//! for lines whose format triage does not parse, so that what is mined is the message.

use std::collections::HashMap;

use jiff::Timestamp;

/// What stands for a variable part of a template.
pub const WILDCARD: &str = "<*>";
/// How many leading tokens the prefix tree branches on (Drain's depth 4: root, length, 2).
pub const PREFIX_TOKENS: usize = 2;

/// How a miner groups.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MinerOptions {
    /// Share of positions that must hold the same token for a line to join a template.
    pub similarity: f32,
    /// Templates kept at most; the least recently used are evicted past it.
    pub max_templates: usize,
    /// Tokens of a message considered; the rest are one `<*>`.
    pub max_tokens: usize,
    /// Keep evicted templates for [`TemplateMiner::take_evicted`].
    pub keep_evicted: bool,
}

impl Default for MinerOptions {
    fn default() -> Self {
        MinerOptions {
            similarity: 0.7,
            max_templates: 50_000,
            max_tokens: 128,
            keep_evicted: false,
        }
    }
}

/// One template and what was seen of it.
#[derive(Debug, Clone, PartialEq)]
pub struct Template {
    /// Unique for the miner's life (never reused, unlike a slot).
    pub id: u64,
    tokens: Vec<Box<str>>,
    pub count: u64,
    pub first_seen: Option<Timestamp>,
    pub last_seen: Option<Timestamp>,
    /// The first message it was made from (capped at [`EXAMPLE_CHARS`]).
    pub example: String,
    /// When it was last matched, in lines added to the miner.
    last_used: u64,
    key: LeafKey,
}

/// How much of a message a template keeps as its example.
pub const EXAMPLE_CHARS: usize = 400;

impl Template {
    /// The template as text: tokens joined by single spaces, `<*>` for what varies.
    pub fn text(&self) -> String {
        self.tokens.join(" ")
    }

    pub fn tokens(&self) -> impl Iterator<Item = &str> {
        self.tokens.iter().map(|t| &**t)
    }
}

/// The prefix tree's leaf: token count and the (hashed) first tokens.
type LeafKey = (u16, u64);

/// A streaming template miner with bounded memory.
#[derive(Debug, Default)]
pub struct TemplateMiner {
    options: MinerOptions,
    /// Templates by slot; `None` for a free slot.
    slots: Vec<Option<Template>>,
    free: Vec<u32>,
    leaves: HashMap<LeafKey, Vec<u32>>,
    /// Lines added so far (the clock for least-recently-used eviction).
    clock: u64,
    next_id: u64,
    live: usize,
    evicted: Vec<Template>,
    /// The slot of the template the last message joined or started.
    last_slot: u32,
    /// Whether the last message started its template or changed its text.
    last_changed: bool,
}

impl TemplateMiner {
    pub fn new(options: MinerOptions) -> TemplateMiner {
        TemplateMiner {
            options: MinerOptions {
                max_templates: options.max_templates.max(1),
                max_tokens: options.max_tokens.max(1),
                ..options
            },
            ..TemplateMiner::default()
        }
    }

    /// Place a message; returns the id of the template it joined or started.
    pub fn add(&mut self, message: &[u8], ts: Option<Timestamp>) -> u64 {
        let tokens = mask(&String::from_utf8_lossy(message), self.options.max_tokens);
        self.add_masked(&tokens, || example_text(message), ts)
    }

    /// Place a message already masked (by [`mask`], with at most this miner's
    /// [`MinerOptions::max_tokens`]): the masking, most of the cost, can be done elsewhere
    /// (on the threads that read and match the lines). `example` gives the message's text,
    /// asked for only when it starts a template.
    pub fn add_masked(
        &mut self,
        tokens: &[String],
        example: impl FnOnce() -> String,
        ts: Option<Timestamp>,
    ) -> u64 {
        self.clock += 1;
        let key = leaf_key(tokens);
        let best = self.best_match(key, tokens);
        let clock = self.clock;
        if let Some(slot) = best {
            let template = self.slots[slot as usize].as_mut().expect("live slot");
            self.last_changed = false;
            for (have, new) in template.tokens.iter_mut().zip(tokens) {
                if **have != **new && &**have != WILDCARD {
                    *have = WILDCARD.into();
                    self.last_changed = true;
                }
            }
            template.count += 1;
            template.last_used = clock;
            self.last_slot = slot;
            if ts.is_some() {
                template.first_seen = template.first_seen.min(ts).or(ts);
                template.last_seen = template.last_seen.max(ts);
            }
            return template.id;
        }
        let id = self.next_id;
        self.next_id += 1;
        let template = Template {
            id,
            tokens: tokens.iter().map(|t| t.as_str().into()).collect(),
            count: 1,
            first_seen: ts,
            last_seen: ts,
            example: example().chars().take(EXAMPLE_CHARS).collect(),
            last_used: clock,
            key,
        };
        if self.live >= self.options.max_templates {
            self.evict();
        }
        let slot = match self.free.pop() {
            Some(slot) => {
                self.slots[slot as usize] = Some(template);
                slot
            }
            None => {
                self.slots.push(Some(template));
                (self.slots.len() - 1) as u32
            }
        };
        self.leaves.entry(key).or_default().push(slot);
        self.live += 1;
        self.last_slot = slot;
        self.last_changed = true;
        id
    }

    /// The most similar template of the message's leaf, if similar enough.
    fn best_match(&self, key: LeafKey, tokens: &[String]) -> Option<u32> {
        let candidates = self.leaves.get(&key)?;
        let mut best: Option<(f32, usize, u32)> = None;
        for &slot in candidates {
            let Some(template) = &self.slots[slot as usize] else {
                continue;
            };
            let (same, wildcards) = similarity(&template.tokens, tokens);
            let score = same as f32 / tokens.len().max(1) as f32;
            let better = match best {
                None => true,
                Some((s, w, _)) => score > s || (score == s && wildcards > w),
            };
            if better {
                best = Some((score, wildcards, slot));
            }
        }
        let (score, _, slot) = best?;
        (score >= self.options.similarity || tokens.is_empty()).then_some(slot)
    }

    /// Drop the least recently used tenth of the templates.
    fn evict(&mut self) {
        let mut ages: Vec<(u64, u32)> = self
            .slots
            .iter()
            .enumerate()
            .filter_map(|(slot, t)| t.as_ref().map(|t| (t.last_used, slot as u32)))
            .collect();
        let drop = (self.options.max_templates / 10).max(1).min(ages.len());
        ages.select_nth_unstable(drop - 1);
        for &(_, slot) in &ages[..drop] {
            let Some(template) = self.slots[slot as usize].take() else {
                continue;
            };
            if let Some(leaf) = self.leaves.get_mut(&template.key) {
                leaf.retain(|&s| s != slot);
                if leaf.is_empty() {
                    self.leaves.remove(&template.key);
                }
            }
            self.free.push(slot);
            self.live -= 1;
            if self.options.keep_evicted {
                self.evicted.push(template);
            }
        }
    }

    /// The template the last message added joined or started.
    pub fn last(&self) -> Option<&Template> {
        self.slots.get(self.last_slot as usize)?.as_ref()
    }

    /// Whether the last message added started its template or changed its text (a word of
    /// it became a wildcard): a copy of the text taken before is out of date.
    pub fn last_changed(&self) -> bool {
        self.last_changed
    }

    /// Templates evicted since the last call (only with [`MinerOptions::keep_evicted`]).
    pub fn take_evicted(&mut self) -> Vec<Template> {
        std::mem::take(&mut self.evicted)
    }

    /// The templates kept now, in no particular order.
    pub fn templates(&self) -> impl Iterator<Item = &Template> {
        self.slots.iter().flatten()
    }

    /// How many templates are kept now.
    pub fn len(&self) -> usize {
        self.live
    }

    pub fn is_empty(&self) -> bool {
        self.live == 0
    }

    /// Slots allocated (kept plus free): what memory the miner holds is bounded by it.
    pub fn capacity(&self) -> usize {
        self.slots.len()
    }

    /// Leaves of the prefix tree.
    pub fn leaf_count(&self) -> usize {
        self.leaves.len()
    }
}

/// Positions holding the same token (a masked `<*>` matches a `<*>`), and the template's
/// wildcards (the tie-break: the more general template wins, as in Drain).
fn similarity(template: &[Box<str>], tokens: &[String]) -> (usize, usize) {
    let mut same = 0;
    let mut wildcards = 0;
    for (have, new) in template.iter().zip(tokens) {
        if **have == **new {
            same += 1;
        }
        if &**have == WILDCARD {
            wildcards += 1;
        }
    }
    (same, wildcards)
}

fn leaf_key(tokens: &[String]) -> LeafKey {
    use std::hash::{Hash, Hasher};
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    for token in tokens.iter().take(PREFIX_TOKENS) {
        if token.contains(WILDCARD) {
            WILDCARD.hash(&mut hasher);
        } else {
            token.hash(&mut hasher);
        }
    }
    (tokens.len().min(u16::MAX as usize) as u16, hasher.finish())
}

/// The message's tokens with what varies masked as `<*>`: quoted values, URLs, paths, and
/// within a token every part holding a digit (numbers, ids, hex, IPs, times, versions) —
/// a token's parts being what lies between `=:,;()[]{}<>@#|"'`. At most `max_tokens`; the
/// rest is one `<*>`.
pub fn mask(message: &str, max_tokens: usize) -> Vec<String> {
    let unquoted = mask_quotes(message);
    let mut tokens: Vec<String> = Vec::new();
    for word in unquoted.split_ascii_whitespace() {
        if tokens.len() + 1 == max_tokens {
            tokens.push(WILDCARD.to_string());
            break;
        }
        tokens.push(mask_token(word));
    }
    tokens
}

/// One-word `"…"` and `'…'` values (after a space, `=`, `:`, `(`, `[` or `,`, closed before a
/// space, `,`, `)`, `;`, `.`, `]`, `:`, `@` or the end) become `"<*>"`, digits or not: a
/// user's or a table's name. A quoted value of several words is left to be tokenised: the
/// `"GET /path HTTP/1.1"` of an access line keeps its method.
fn mask_quotes(message: &str) -> std::borrow::Cow<'_, str> {
    let bytes = message.as_bytes();
    if memchr::memchr2(b'"', b'\'', bytes).is_none() {
        return message.into();
    }
    let mut out = String::with_capacity(message.len());
    let mut at = 0;
    let mut copied = 0;
    while at < bytes.len() {
        let quote = bytes[at];
        let opens = matches!(quote, b'"' | b'\'')
            && (at == 0 || matches!(bytes[at - 1], b' ' | b'=' | b':' | b'(' | b'[' | b','));
        if opens {
            let limit = (at + 1 + 200).min(bytes.len());
            if let Some(len) = memchr::memchr(quote, &bytes[at + 1..limit]) {
                let close = at + 1 + len;
                let closes = bytes.get(close + 1).is_none_or(|b| {
                    matches!(b, b' ' | b',' | b')' | b';' | b'.' | b']' | b':' | b'@')
                });
                let one_word = !bytes[at + 1..close].iter().any(u8::is_ascii_whitespace);
                if closes && len > 0 && one_word {
                    out.push_str(&message[copied..at]);
                    out.push(quote as char);
                    out.push_str(WILDCARD);
                    out.push(quote as char);
                    at = close + 1;
                    copied = at;
                    continue;
                }
            }
        }
        at += 1;
    }
    out.push_str(&message[copied..]);
    out.into()
}

fn is_delimiter(c: char) -> bool {
    matches!(
        c,
        '=' | ':'
            | ','
            | ';'
            | '('
            | ')'
            | '['
            | ']'
            | '{'
            | '}'
            | '<'
            | '>'
            | '@'
            | '#'
            | '|'
            | '"'
            | '\''
    )
}

/// One whitespace-free token with its variable parts masked.
fn mask_token(word: &str) -> String {
    // `"<*>"` and `'<*>'` (a quoted value masked already) hold a `<`: most words do not.
    let masked_quote = memchr::memchr(b'<', word.as_bytes()).is_some()
        && (word.contains("\"<*>\"") || word.contains("'<*>'"));
    if word == WILDCARD || masked_quote {
        return mask_parts(word);
    }
    // A URL or a path is one variable: `/var/lib/mysql/ib_logfile0`, `./x`, `C:\x`, `http://…`.
    let trimmed = word.trim_end_matches([',', ';', '.', ')', ']', ':']);
    let is_path = trimmed.len() > 1
        && (trimmed.starts_with('/')
            || trimmed.starts_with("./")
            || trimmed.starts_with("../")
            || trimmed.starts_with("~/")
            || trimmed.contains("://")
            || (trimmed.len() > 3
                && trimmed.as_bytes()[1] == b':'
                && trimmed.as_bytes()[2] == b'\\'));
    if is_path {
        return format!("{WILDCARD}{}", &word[trimmed.len()..]);
    }
    mask_parts(word)
}

/// Mask each part of `word` between delimiters that holds a digit or is long hex.
fn mask_parts(word: &str) -> String {
    // Most words of a message are plain words: nothing to mask, nothing to walk. A long hex
    // part holds eight hex digits in a row (delimiters are not hex).
    let bytes = word.as_bytes();
    let maybe_hex = bytes.len() >= 8
        && bytes
            .split(|b| !b.is_ascii_hexdigit())
            .any(|run| run.len() >= 8);
    if !maybe_hex && !bytes.iter().any(u8::is_ascii_digit) {
        return word.to_string();
    }
    let mut out = String::with_capacity(word.len());
    let mut part_start = None;
    let flush = |out: &mut String, part: &str| {
        if part == WILDCARD || part.is_empty() {
            out.push_str(part);
        } else if is_variable(part) {
            out.push_str(WILDCARD);
        } else {
            out.push_str(part);
        }
    };
    let mut chars = word.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        // Keep `<*>` whole although `<` and `>` delimit.
        if c == '<' && word[i..].starts_with(WILDCARD) {
            if let Some(start) = part_start.take() {
                flush(&mut out, &word[start..i]);
            }
            out.push_str(WILDCARD);
            chars.next();
            chars.next();
            continue;
        }
        if is_delimiter(c) {
            if let Some(start) = part_start.take() {
                flush(&mut out, &word[start..i]);
            }
            out.push(c);
        } else if part_start.is_none() {
            part_start = Some(i);
        }
    }
    if let Some(start) = part_start {
        flush(&mut out, &word[start..]);
    }
    out
}

/// A part that varies: it holds a digit, or is hex of 8 or more (ids, hashes).
fn is_variable(part: &str) -> bool {
    part.bytes().any(|b| b.is_ascii_digit())
        || (part.len() >= 8 && part.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// A message's text as a template's example: the first [`EXAMPLE_CHARS`] characters.
pub fn example_text(message: &[u8]) -> String {
    let head = &message[..message.len().min(4 * EXAMPLE_CHARS)];
    String::from_utf8_lossy(head)
        .chars()
        .take(EXAMPLE_CHARS)
        .collect()
}

/// What of a message is mined: its body, after a header of its own (time, pid, level).
pub fn mined_part(message: &[u8]) -> &[u8] {
    let body = &message[message_body(message)..];
    if body.is_empty() { message } else { body }
}

/// An unrecognised line's message as the miners take it ([`TemplateMiner::add_masked`]): its
/// mined part masked, with the default [`MinerOptions::max_tokens`].
pub fn mask_mined(message: &[u8]) -> Vec<String> {
    let body = mined_part(message);
    mask(
        &String::from_utf8_lossy(body),
        MinerOptions::default().max_tokens,
    )
}

/// Where a line's header ends (the byte offset its message starts at), for lines whose
/// format triage does not parse: leading times, numbers, ids, bracketed fields and months,
/// then a level word (`INFO`, `[error]`, `E`) with the component after it
/// (`org.apache.Foo:`, `dfs.DataNode$PacketResponder:`, `CBS`), or an `ident[pid]:`.
/// 0 when there is no header.
pub fn message_body(line: &[u8]) -> usize {
    let head = &line[..line.len().min(300)];
    // `20171223-22:15:29:606|Step_LSC|30002312|onStandStepChanged 3579`: a header of fields
    // joined by `|` in the first word.
    let first_word_end = head
        .iter()
        .position(|b| b.is_ascii_whitespace())
        .unwrap_or(head.len());
    let first = &head[..first_word_end];
    if first.iter().filter(|&&b| b == b'|').count() >= 2 {
        let last_bar = memchr::memrchr(b'|', first).expect("has bars");
        if first[..last_bar].iter().any(u8::is_ascii_digit) {
            return last_bar + 1;
        }
    }
    let words = word_spans(head, 14);
    let is_strong = |word: &[u8]| {
        word.iter().any(u8::is_ascii_digit)
            || (word.starts_with(b"[") && word.ends_with(b"]"))
            || matches!(word, b"-" | b"|" | b"--")
            || is_month_or_day(word)
    };
    let mut strong_end = 0; // after the leading run of sure header words
    let mut in_run = true;
    // Words since the last sure header word, in a header that began with one: a header of
    // fixed fields may hold a word or two between them (HPC's `node-97 node status 107409
    // 1 …`, Proxifier's `[…] chrome.exe *64 - host:443 …`).
    let mut gap = 0;
    let mut began_strong = false;
    let mut n = 0;
    while n < words.len() {
        let (start, end) = words[n];
        let word = &head[start..end];
        // A bracketed group over several words: `[Sun Dec 04 04:47:44 2005]`.
        if word.starts_with(b"[") && !word.ends_with(b"]") {
            let close = (n + 1..words.len().min(n + 8))
                .find(|&k| head[words[k].0..words[k].1].ends_with(b"]"));
            if let Some(close) = close {
                if in_run {
                    strong_end = words[close].1;
                    began_strong |= n == 0;
                }
                n = close + 1;
                continue;
            }
        }
        if let Some(after) = level_word_at(head, &words, n) {
            return skip_component(head, &words, after);
        }
        let strong = is_strong(word);
        began_strong |= n == 0 && strong;
        let weak = !strong && word.len() <= 8 && word.iter().all(u8::is_ascii_uppercase);
        // `crond(pam_unix)[2915]:` or `kernel:` after a header: the writer, then the message.
        if n > 0 && (strong || in_run) && word.ends_with(b":") && is_ident(word) {
            return skip_spaces(head, end);
        }
        if strong {
            // After a gap, only a run of two sure header words goes on with the header.
            let next_strong = words
                .get(n + 1)
                .is_some_and(|&(s, e)| is_strong(&head[s..e]));
            if in_run || (began_strong && gap > 0 && next_strong) {
                strong_end = end;
                in_run = true;
                gap = 0;
            }
        } else {
            in_run = false;
            gap += 1;
            if !weak && (gap > 2 || !began_strong) {
                break;
            }
        }
        n += 1;
    }
    skip_spaces(head, strong_end)
}

fn skip_spaces(line: &[u8], at: usize) -> usize {
    at + line[at..]
        .iter()
        .take_while(|b| b.is_ascii_whitespace())
        .count()
}

/// Start and end of the first `max` whitespace-separated words.
fn word_spans(line: &[u8], max: usize) -> Vec<(usize, usize)> {
    let mut spans = Vec::new();
    let mut at = 0;
    while spans.len() < max {
        while at < line.len() && line[at].is_ascii_whitespace() {
            at += 1;
        }
        if at >= line.len() {
            break;
        }
        let start = at;
        while at < line.len() && !line[at].is_ascii_whitespace() {
            at += 1;
        }
        spans.push((start, at));
    }
    spans
}

fn is_month_or_day(word: &[u8]) -> bool {
    const NAMES: [&[u8]; 19] = [
        b"Jan", b"Feb", b"Mar", b"Apr", b"May", b"Jun", b"Jul", b"Aug", b"Sep", b"Oct", b"Nov",
        b"Dec", b"Mon", b"Tue", b"Wed", b"Thu", b"Fri", b"Sat", b"Sun",
    ];
    NAMES.contains(&word.strip_suffix(b",").unwrap_or(word))
}

/// `crond(pam_unix)[2915]:`, `kernel:`, `org.apache.Foo:`: a writer's name and a colon.
fn is_ident(word: &[u8]) -> bool {
    let name = &word[..word.len() - 1];
    !name.is_empty()
        && name[0].is_ascii_alphabetic()
        && name.iter().all(|&b| {
            b.is_ascii_alphanumeric()
                || matches!(
                    b,
                    b'_' | b'-' | b'.' | b'$' | b'/' | b'(' | b')' | b'[' | b']'
                )
        })
}

/// If word `n` is a level (`INFO`, `[error]`, `Info,`, `E` before `Tag:`), the offset after it.
fn level_word_at(line: &[u8], words: &[(usize, usize)], n: usize) -> Option<usize> {
    let (start, end) = words[n];
    let word = &line[start..end];
    let bare = word
        .strip_prefix(b"[")
        .unwrap_or(word)
        .strip_suffix(b",")
        .unwrap_or(word.strip_prefix(b"[").unwrap_or(word));
    let bare = bare.strip_suffix(b"]").unwrap_or(bare);
    let bare = bare.strip_suffix(b":").unwrap_or(bare);
    const LEVELS: [&[u8]; 14] = [
        b"TRACE",
        b"DEBUG",
        b"INFO",
        b"NOTICE",
        b"WARN",
        b"WARNING",
        b"ERROR",
        b"SEVERE",
        b"FATAL",
        b"CRITICAL",
        b"CRIT",
        b"ALERT",
        b"EMERG",
        b"VERBOSE",
    ];
    let is_level_word = LEVELS.iter().any(|level| level.eq_ignore_ascii_case(bare));
    let bracketed = word.starts_with(b"[") && word.ends_with(b"]");
    let accepted = is_level_word
        && (bracketed
            || bare.iter().all(|b| !b.is_ascii_lowercase())
            || (n > 0 && bare[0].is_ascii_uppercase()));
    // Android logcat: `1702  2395 D WindowManager: …`
    let android = n > 0
        && matches!(word, b"V" | b"D" | b"I" | b"W" | b"E" | b"F")
        && words
            .get(n + 1)
            .is_some_and(|&(s, e)| line[s..e].ends_with(b":"));
    (accepted || android).then_some(end)
}

/// After a level: bracketed fields (`[main]`), separators, then one component
/// (`org.apache.Foo:`, `nova.compute.manager`, `CBS`), then again bracketed fields (the
/// request ids of OpenStack's `[req-… - - -]`) and separators.
fn skip_component(line: &[u8], words: &[(usize, usize)], after_level: usize) -> usize {
    let mut at = after_level;
    let mut n = words.partition_point(|&(s, _)| s < after_level);
    (at, n) = skip_fields(line, words, at, n);
    if let Some(&(s, e)) = words.get(n) {
        let word = &line[s..e];
        let class_like = word.contains(&b'.')
            && word[0].is_ascii_alphabetic()
            && word.iter().all(|&b| {
                b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'$' | b'-' | b':')
            });
        let tag = word.len() <= 8 && word.iter().all(u8::is_ascii_uppercase);
        // Only when something follows: a lone word is the message.
        if ((word.ends_with(b":") && is_ident(word)) || class_like || tag) && n + 1 < words.len() {
            (at, n) = skip_fields(line, words, e, n + 1);
        }
    }
    let _ = n;
    skip_spaces(line, at)
}

/// Bracketed fields (one word or several), separators and plain numbers from word `n` on.
fn skip_fields(
    line: &[u8],
    words: &[(usize, usize)],
    mut at: usize,
    mut n: usize,
) -> (usize, usize) {
    while let Some(&(s, e)) = words.get(n) {
        let word = &line[s..e];
        if word.starts_with(b"[") && !word.ends_with(b"]") {
            // A bracket over several words: to the word that closes it.
            match (n + 1..words.len()).find(|&k| line[..words[k].1].ends_with(b"]")) {
                Some(close) => {
                    at = words[close].1;
                    n = close + 1;
                    continue;
                }
                None => break,
            }
        }
        if word.starts_with(b"[") || matches!(word, b"-" | b"|" | b":") {
            at = e;
            n += 1;
        } else {
            break;
        }
    }
    (at, n)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn body(line: &str) -> &str {
        &line[message_body(line.as_bytes())..]
    }

    #[test]
    fn a_message_says_whether_it_changed_its_template() {
        let mut miner = TemplateMiner::new(MinerOptions::default());
        let mut added = |message: &str| {
            miner.add(message.as_bytes(), None);
            (miner.last().unwrap().text(), miner.last_changed())
        };
        let (first, changed) = added("Connection reset by peer on worker alpha");
        assert!(changed, "a new template is a change");
        assert_eq!(
            added("Connection reset by peer on worker alpha"),
            (first, false)
        );
        let (widened, changed) = added("Connection reset by peer on worker beta");
        assert!(changed && widened.ends_with("<*>"), "{widened}");
        assert_eq!(
            added("Connection reset by peer on worker gamma"),
            (widened, false)
        );
    }

    #[test]
    fn masking_what_varies() {
        // loghub HDFS_2k.log
        assert_eq!(
            mask(
                "Received block blk_-1608999687919862906 of size 91178 from /10.250.10.6",
                64
            )
            .join(" "),
            "Received block <*> of size <*> from <*>"
        );
        // patterns/mysql.toml: quoted user and host
        assert_eq!(
            mask(
                "Access denied for user 'athena'@'172.18.0.8' (using password: YES)",
                64
            )
            .join(" "),
            "Access denied for user '<*>'@'<*>' (using password: YES)"
        );
        assert_eq!(
            mask("size=1234, id=0xdeadbeef", 64).join(" "),
            "size=<*>, id=<*>"
        );
        assert_eq!(mask("a b c d e", 3), ["a", "b", "<*>"]);
    }

    #[test]
    fn lines_differing_only_in_variables_share_a_template() {
        let mut miner = TemplateMiner::new(MinerOptions::default());
        // loghub HDFS_2k.log
        let a = miner.add(
            b"PacketResponder 1 for block blk_38865049064139660 terminating",
            None,
        );
        let b = miner.add(
            b"PacketResponder 2 for block blk_-6952295868487656571 terminating",
            None,
        );
        // loghub OpenSSH_2k.log
        let c = miner.add(b"Invalid user webmaster from 173.234.31.186", None);
        let d = miner.add(b"Invalid user test9 from 52.80.34.196", None);
        // A different kind of line of the same length stays apart.
        let e = miner.add(b"Received block blk_1 of size 2 from /10.0.0.1", None);
        assert_eq!(a, b);
        assert_eq!(c, d);
        assert_ne!(a, c);
        assert_ne!(a, e);
        let texts: Vec<String> = {
            let mut t: Vec<_> = miner.templates().map(|t| (t.id, t.text())).collect();
            t.sort();
            t.into_iter().map(|(_, text)| text).collect()
        };
        assert_eq!(
            texts,
            [
                "PacketResponder <*> for block <*> terminating",
                "Invalid user <*> from <*>",
                "Received block <*> of size <*> from <*>",
            ]
        );
        assert_eq!(miner.templates().map(|t| t.count).sum::<u64>(), 5);
    }

    #[test]
    fn the_same_template_however_the_variables_are_ordered_in() {
        // Stability: the template a line gets does not depend on which variant came first.
        let lines = [
            "Connection closed by 1.2.3.4 [preauth]",
            "Connection closed by 5.6.7.8 [preauth]",
            "Connection closed by 9.9.9.9 [preauth]",
        ];
        for order in [[0, 1, 2], [2, 1, 0], [1, 2, 0]] {
            let mut miner = TemplateMiner::new(MinerOptions::default());
            let ids: Vec<u64> = order
                .iter()
                .map(|&i| miner.add(lines[i].as_bytes(), None))
                .collect();
            assert!(ids.iter().all(|&id| id == ids[0]));
            assert_eq!(
                miner.templates().next().unwrap().text(),
                "Connection closed by <*> [preauth]"
            );
        }
    }

    #[test]
    fn memory_is_bounded_with_a_million_distinct_lines() {
        let options = MinerOptions {
            max_templates: 1000,
            ..MinerOptions::default()
        };
        let mut miner = TemplateMiner::new(options);
        let mut line = String::new();
        for n in 0u32..1_000_000 {
            // Distinct words (no digits, so nothing is masked): every line its own template.
            line.clear();
            for i in 0..4 {
                line.push_str(&words_of(n * 4 + i));
                line.push(' ');
            }
            miner.add(line.as_bytes(), None);
            assert!(miner.len() <= 1000);
        }
        assert!(miner.capacity() <= 1000, "slots {}", miner.capacity());
        assert!(miner.leaf_count() <= 1000, "leaves {}", miner.leaf_count());
    }

    /// A digit-free word unique to `n`.
    fn words_of(n: u32) -> String {
        let mut s = String::new();
        let mut k = n;
        loop {
            s.push(char::from(b'a' + (k % 26) as u8));
            k /= 26;
            if k == 0 {
                break s;
            }
        }
    }

    #[test]
    fn evicted_templates_are_handed_back_when_asked() {
        let mut miner = TemplateMiner::new(MinerOptions {
            max_templates: 10,
            keep_evicted: true,
            ..MinerOptions::default()
        });
        for n in 0..11u32 {
            miner.add(words_of(n * 1000).as_bytes(), None);
        }
        let evicted = miner.take_evicted();
        assert_eq!(evicted.len(), 1);
        assert_eq!(evicted[0].id, 0);
        assert_eq!(miner.len(), 10);
    }

    #[test]
    fn headers_end_where_the_message_starts() {
        // One line of each loghub sample whose header triage's parsers do not know.
        assert_eq!(
            body(
                "081109 203615 148 INFO dfs.DataNode$PacketResponder: PacketResponder 1 for block blk_38865049064139660 terminating"
            ),
            "PacketResponder 1 for block blk_38865049064139660 terminating"
        );
        assert_eq!(
            body(
                "2015-10-18 18:01:47,978 INFO [main] org.apache.hadoop.mapreduce.v2.app.MRAppMaster: Created MRAppMaster for application appattempt_1445144423722_0020_000001"
            ),
            "Created MRAppMaster for application appattempt_1445144423722_0020_000001"
        );
        assert_eq!(
            body(
                "17/06/09 20:10:40 INFO executor.CoarseGrainedExecutorBackend: Registered signal handlers for [TERM, HUP, INT]"
            ),
            "Registered signal handlers for [TERM, HUP, INT]"
        );
        assert_eq!(
            body(
                "2015-07-29 17:41:44,747 - INFO  [QuorumPeer[myid=1]/0:0:0:0:0:0:0:0:2181:FastLeaderElection@774] - Notification time out: 3200"
            ),
            "Notification time out: 3200"
        );
        assert_eq!(
            body(
                "- 1117838570 2005.06.03 R02-M1-N0-C:J12-U11 2005-06-03-15.42.50.675872 R02-M1-N0-C:J12-U11 RAS KERNEL INFO instruction cache parity error corrected"
            ),
            "instruction cache parity error corrected"
        );
        assert_eq!(
            body(
                "[Sun Dec 04 04:47:44 2005] [notice] workerEnv.init() ok /etc/httpd/conf/workers2.properties"
            ),
            "workerEnv.init() ok /etc/httpd/conf/workers2.properties"
        );
        assert_eq!(
            body(
                "03-17 16:13:38.811  1702  2395 D WindowManager: printFreezingDisplayLogsopening app wtoken = AppWindowToken{9f4ef63 token=Token{a64f992 ActivityRecord{de9231d u0 com.tencent.qt.qtl/.activity.info.NewsDetailXmlActivity t761}}}, allDrawn= false, startingDisplayed =  false, startingMoved =  false, isRelaunching =  false"
            ),
            "printFreezingDisplayLogsopening app wtoken = AppWindowToken{9f4ef63 token=Token{a64f992 ActivityRecord{de9231d u0 com.tencent.qt.qtl/.activity.info.NewsDetailXmlActivity t761}}}, allDrawn= false, startingDisplayed =  false, startingMoved =  false, isRelaunching =  false"
        );
        assert_eq!(
            body("20171223-22:15:29:606|Step_LSC|30002312|onStandStepChanged 3579"),
            "onStandStepChanged 3579"
        );
        assert_eq!(
            body(
                "- 1131566461 2005.11.09 dn228 Nov 9 12:01:01 dn228/dn228 crond(pam_unix)[2915]: session closed for user root"
            ),
            "session closed for user root"
        );
        assert_eq!(
            body(
                "2016-09-28 04:30:30, Info                  CBS    Loaded Servicing Stack v6.1.7601.23505 with Core: C:\\Windows\\winsxs\\amd64_microsoft-windows-servicingstack_31bf3856ad364e35_6.1.7601.23505_none_681aa442f6fed7f0\\cbscore.dll"
            ),
            "Loaded Servicing Stack v6.1.7601.23505 with Core: C:\\Windows\\winsxs\\amd64_microsoft-windows-servicingstack_31bf3856ad364e35_6.1.7601.23505_none_681aa442f6fed7f0\\cbscore.dll"
        );
        assert_eq!(
            body(
                "[10.30 16:49:06] chrome.exe - proxy.cse.cuhk.edu.hk:5070 open through proxy proxy.cse.cuhk.edu.hk:5070 HTTPS"
            ),
            // The program and the host it asked for are fields of Proxifier's header.
            "open through proxy proxy.cse.cuhk.edu.hk:5070 HTTPS"
        );
        // No header: the whole line.
        assert_eq!(
            body("Out of memory: Killed process 812"),
            "Out of memory: Killed process 812"
        );
    }
}
