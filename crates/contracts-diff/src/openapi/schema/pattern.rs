//! Whether every string one `pattern` accepts is accepted by another (issue 13 item 1).
//!
//! Real specifications rewrite patterns often (`^[0-9a-f]+$` becoming `^[0-9a-f]{40}$`), and a
//! rewrite is breaking in one direction only, or not at all. Regular languages are closed under
//! the operations containment needs, so it is decided exactly: both patterns are compiled to
//! deterministic automata (regex-automata, the engine under the `regex` crate; no crate
//! offers language inclusion, so the product walk below is ours) and their product is walked
//! looking for a string the inner one accepts and the outer one rejects.
//!
//! JSON Schema patterns are ECMA-262 and unanchored: a string is accepted when the pattern
//! matches anywhere in it, so each pattern is compiled as "anything, then the pattern",
//! anchored at the start, and a string is accepted once a match has been seen. Patterns the
//! Rust syntax cannot read (look-around, back-references) and automata or walks over the
//! limits below are *undecided*, and the caller keeps its safe verdict. ECMA reads `\d` and
//! `\w` as ASCII, Rust as Unicode; they are rewritten to their ASCII sets first, so neither
//! side is read wider than its author meant. (`\s` is Unicode white space in both, close
//! enough that the few differing characters never decide a contract.)

use std::collections::{HashSet, VecDeque};

use regex_automata::dfa::{Automaton, StartKind, dense};
use regex_automata::nfa::thompson;
use regex_automata::util::primitives::StateID;
use regex_automata::util::start;
use regex_automata::{Anchored, MatchKind};
use regex_syntax::ast;

/// Bytes a compiled automaton may take; real patterns take a few KB.
const AUTOMATON_BYTES: usize = 1 << 20;
/// Product states the walk may visit before it gives up.
const WALK_STATES: usize = 200_000;
/// Rewritten patterns decided in one comparison. Each decision builds two automata (a few
/// milliseconds at the limits above), so a contract that rewrites thousands of patterns
/// would otherwise cost minutes; past this many the rest keep the safe verdict.
pub(crate) const DECISIONS: usize = 256;

/// Why containment was not decided.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Undecided(pub(crate) String);

/// `Ok(true)` when every string `inner` accepts is accepted by `outer`.
pub(crate) fn contained(inner: &str, outer: &str) -> Result<bool, Undecided> {
    let inner_dfa = compile(inner)?;
    let outer_dfa = compile(outer)?;
    walk(&inner_dfa, &outer_dfa)
}

/// Whether `pattern` (with ECMA's `\d` and `\w`, as `contained` reads it) matches somewhere
/// in `text`. A one-off match needs no determinized automaton: the `regex` crate's lazy one
/// compiles in microseconds, within the same size bound.
pub(crate) fn matches(pattern: &str, text: &str) -> Result<bool, Undecided> {
    let regex = regex::RegexBuilder::new(&ascii_classes(pattern)?)
        .size_limit(AUTOMATON_BYTES)
        .dfa_size_limit(AUTOMATON_BYTES)
        .build()
        .map_err(|e| {
            Undecided(format!(
                "pattern {pattern:?} could not be compiled for comparison ({e})"
            ))
        })?;
    Ok(regex.is_match(text))
}

fn compile(pattern: &str) -> Result<dense::DFA<Vec<u32>>, Undecided> {
    let ecma = ascii_classes(pattern)?;
    // "Anything, then the pattern": accepted once a match has been seen anywhere.
    let unanchored = format!("(?s:.)*?(?:{ecma})");
    dense::Builder::new()
        .thompson(thompson::Config::new().nfa_size_limit(Some(AUTOMATON_BYTES)))
        .configure(
            dense::Config::new()
                .start_kind(StartKind::Anchored)
                .match_kind(MatchKind::All)
                .dfa_size_limit(Some(AUTOMATON_BYTES))
                .determinize_size_limit(Some(AUTOMATON_BYTES)),
        )
        .build(&unanchored)
        .map_err(|e| {
            Undecided(format!(
                "pattern {pattern:?} could not be compiled for comparison ({e})"
            ))
        })
}

/// `pattern` with ECMA-262's meaning of `\d`, `\w` (and their negations) spelled out in
/// ASCII, found through regex-syntax's parse tree so escaped backslashes are not mistaken
/// for classes.
fn ascii_classes(pattern: &str) -> Result<String, Undecided> {
    struct Classes(Vec<(usize, usize, String)>);
    impl Classes {
        fn note(&mut self, class: &ast::ClassPerl, in_brackets: bool) -> Result<(), Undecided> {
            let set = match class.kind {
                ast::ClassPerlKind::Digit => "0-9",
                ast::ClassPerlKind::Word => "0-9A-Za-z_",
                ast::ClassPerlKind::Space => return Ok(()),
            };
            let text = match (in_brackets, class.negated) {
                (false, false) => format!("[{set}]"),
                (false, true) => format!("[^{set}]"),
                (true, false) => set.to_owned(),
                (true, true) => {
                    return Err(Undecided(
                        "a negated class inside brackets is not compared".to_owned(),
                    ));
                }
            };
            self.0
                .push((class.span.start.offset, class.span.end.offset, text));
            Ok(())
        }
    }
    impl ast::Visitor for Classes {
        type Output = Vec<(usize, usize, String)>;
        type Err = Undecided;
        fn finish(self) -> Result<Self::Output, Undecided> {
            Ok(self.0)
        }
        fn visit_pre(&mut self, node: &ast::Ast) -> Result<(), Undecided> {
            match node {
                ast::Ast::ClassPerl(class) => self.note(class, false),
                _ => Ok(()),
            }
        }
        fn visit_class_set_item_pre(&mut self, item: &ast::ClassSetItem) -> Result<(), Undecided> {
            match item {
                ast::ClassSetItem::Perl(class) => self.note(class, true),
                _ => Ok(()),
            }
        }
    }
    let tree = ast::parse::Parser::new().parse(pattern).map_err(|e| {
        Undecided(format!(
            "pattern {pattern:?} could not be compiled for comparison ({e})"
        ))
    })?;
    let mut rewritten = pattern.to_owned();
    // Spans come in pattern order; replace from the end so earlier offsets stay valid.
    for (start, end, text) in ast::visit(&tree, Classes(Vec::new()))?.into_iter().rev() {
        rewritten.replace_range(start..end, &text);
    }
    Ok(rewritten)
}

fn start_of(dfa: &dense::DFA<Vec<u32>>) -> Result<StateID, Undecided> {
    dfa.start_state(&start::Config::new().anchored(Anchored::Yes))
        .map_err(|e| Undecided(format!("no start state ({e})")))
}

/// One side of the product: where its automaton is, or that it has matched already (then
/// every longer string is accepted too, so the state no longer matters).
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
enum Side {
    At(StateID),
    Matched,
}

impl Side {
    fn step(self, dfa: &dense::DFA<Vec<u32>>, byte: u8) -> Side {
        match self {
            Side::Matched => Side::Matched,
            Side::At(id) => {
                let next = dfa.next_state(id, byte);
                // A DFA reports a match one byte late: a match state here means a match
                // ended before `byte`.
                if dfa.is_match_state(next) {
                    Side::Matched
                } else {
                    Side::At(next)
                }
            }
        }
    }

    /// Whether the string read so far is accepted.
    fn accepts(self, dfa: &dense::DFA<Vec<u32>>) -> bool {
        match self {
            Side::Matched => true,
            Side::At(id) => dfa.is_match_state(dfa.next_eoi_state(id)),
        }
    }

    fn dead(self, dfa: &dense::DFA<Vec<u32>>) -> bool {
        matches!(self, Side::At(id) if dfa.is_dead_state(id))
    }
}

/// Breadth-first over the product of the two automata, looking for a string `inner`
/// accepts and `outer` rejects.
fn walk(inner: &dense::DFA<Vec<u32>>, outer: &dense::DFA<Vec<u32>>) -> Result<bool, Undecided> {
    let start = (Side::At(start_of(inner)?), Side::At(start_of(outer)?));
    let mut seen = HashSet::from([start]);
    let mut queue = VecDeque::from([start]);
    while let Some((i, o)) = queue.pop_front() {
        if i.accepts(inner) && !o.accepts(outer) {
            return Ok(false);
        }
        for byte in 0..=u8::MAX {
            let next = (i.step(inner, byte), o.step(outer, byte));
            // Nothing follows from a dead inner side, or from an outer side that has
            // accepted (it accepts every extension).
            if next.0.dead(inner) || next.1 == Side::Matched {
                continue;
            }
            if seen.insert(next) {
                if seen.len() > WALK_STATES {
                    return Err(Undecided(format!(
                        "comparing the two patterns takes more than {WALK_STATES} steps"
                    )));
                }
                queue.push_back(next);
            }
        }
    }
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::contained;

    fn yes(inner: &str, outer: &str) {
        assert_eq!(contained(inner, outer), Ok(true), "{inner} ⊆ {outer}");
    }

    fn no(inner: &str, outer: &str) {
        assert_eq!(contained(inner, outer), Ok(false), "{inner} ⊄ {outer}");
    }

    #[test]
    fn a_fixed_length_hex_is_inside_any_length_hex() {
        let old = "^[0-9a-fA-F]+$";
        let new = "^([0-9a-fA-F]{40}(?:[0-9a-fA-F]{24})?)$";
        yes(new, old);
        no(old, new);
    }

    #[test]
    fn unanchored_patterns_match_anywhere() {
        // `abc` accepts every string containing "abc"; `^abc$` only "abc".
        yes("^abc$", "abc");
        no("abc", "^abc$");
        yes("abc", "b");
        no("b", "abc");
        // An empty pattern accepts everything.
        yes("^x$", "");
        no("", "^x$");
    }

    #[test]
    fn rewrites_that_accept_the_same_strings_are_contained_both_ways() {
        for (x, y) in [
            ("^[0-9]+$", "^[0-9][0-9]*$"),
            ("^(a|b)+$", "^[ab]+$"),
            ("^v[0-9]{1,3}$", "^v(?:[0-9]|[0-9]{2}|[0-9]{3})$"),
        ] {
            yes(x, y);
            yes(y, x);
        }
    }

    #[test]
    fn widening_a_repetition_or_a_class_is_not_contained() {
        no("^[a-z]{1,10}$", "^[a-z]{1,5}$");
        yes("^[a-z]{1,5}$", "^[a-z]{1,10}$");
        no("^[a-zA-Z]+$", "^[a-z]+$");
        yes("^[a-z]+$", "^[a-zA-Z]+$");
    }

    #[test]
    fn digit_and_word_classes_are_ascii_as_in_ecma() {
        // Equal under ECMA-262: `\d` is `[0-9]`, `\w` is `[0-9A-Za-z_]`.
        yes("^\\d+$", "^[0-9]+$");
        yes("^[0-9]+$", "^\\d+$");
        yes("^[\\w-]+$", "^[0-9A-Za-z_-]+$");
        yes("^[0-9A-Za-z_-]+$", "^[\\w-]+$");
        yes("^\\D$", "^[^0-9]$");
        // Arabic-Indic digits are not ECMA digits.
        no("^[٠-٩]$", "^\\d$");
        // An escaped backslash before `d` is a literal, not a class.
        no("^\\\\d$", "^\\d$");
    }

    #[test]
    fn matching_a_name_reads_the_pattern_as_ecma_does() {
        use super::matches;
        assert_eq!(matches("^x-\\d+$", "x-12"), Ok(true));
        assert_eq!(matches("b", "abc"), Ok(true), "unanchored, as in ECMA-262");
        assert_eq!(matches("^\\d$", "٣"), Ok(false), "`\\d` is ASCII");
        assert!(matches("^(?=a)", "a").is_err());
    }

    #[test]
    fn unreadable_patterns_are_undecided_not_guessed() {
        let err = contained("^(?=a)a$", "^a$").unwrap_err();
        assert!(err.0.contains("could not be compiled"), "{}", err.0);
        let err = contained("^(a)\\1$", "^aa$").unwrap_err();
        assert!(err.0.contains("could not be compiled"), "{}", err.0);
    }

    #[test]
    fn huge_automata_are_undecided_within_the_limit() {
        // (a|b)*a(a|b){20} needs 2^20 states deterministically.
        let err = contained("(a|b)*a(a|b){20}$", "^[ab]*$").unwrap_err();
        assert!(!err.0.is_empty());
        // A million-state repetition is refused while compiling, not built.
        let err = contained("^(?:a{1000}){1000}$", "^a*$").unwrap_err();
        assert!(err.0.contains("could not be compiled"), "{}", err.0);
    }
}
