//! Coverage of a regex by examples: every regex, and every branch of a top-level alternation,
//! must be matched by a real example line. A branch no example proves is guesswork, and
//! nothing would notice when it stops matching what it was written for.

use regex_syntax::ast::{Ast, GroupKind, parse::Parser};

/// One branch of a regex's top-level alternation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Branch {
    /// The branch as written in the regex.
    pub text: String,
    /// The branch as a regex of its own: the flags in force where it stands (`(?i)` before
    /// the alternation or in an earlier branch, a `(?i:…)` group around it) go with it.
    pub pattern: String,
}

/// The branches of `pattern`'s top-level alternation: an alternation of the whole regex, or
/// inside one group that is the whole regex (flag settings such as `(?i)` may stand before
/// it). Empty when the regex has no such alternation or does not parse.
pub fn top_level_branches(pattern: &str) -> Vec<Branch> {
    let Ok(ast) = Parser::new().parse(pattern) else {
        return Vec::new();
    };
    let text = |ast: &Ast| pattern[ast.span().start.offset..ast.span().end.offset].to_string();
    let (mut flags, alternation) = match &ast {
        Ast::Concat(concat) => {
            let (groups, settings): (Vec<&Ast>, Vec<&Ast>) = concat
                .asts
                .iter()
                .partition(|ast| !matches!(ast, Ast::Flags(_)));
            match groups.as_slice() {
                [group @ Ast::Group(_)] => (settings.iter().map(|a| text(a)).collect(), *group),
                _ => return Vec::new(),
            }
        }
        other => (String::new(), other),
    };
    let alternation = match alternation {
        Ast::Group(group) => {
            if let GroupKind::NonCapturing(group_flags) = &group.kind {
                let span = &group_flags.span;
                if span.start.offset < span.end.offset {
                    flags.push_str(&format!(
                        "(?{})",
                        &pattern[span.start.offset..span.end.offset]
                    ));
                }
            }
            &*group.ast
        }
        other => other,
    };
    let Ast::Alternation(alternation) = alternation else {
        return Vec::new();
    };
    let mut branches = Vec::with_capacity(alternation.asts.len());
    for branch in &alternation.asts {
        branches.push(Branch {
            text: text(branch),
            pattern: format!("{flags}{}", text(branch)),
        });
        // A flag set inside a branch stays in force to the end of the group, later branches
        // included.
        let settings: Vec<&Ast> = match branch {
            Ast::Flags(_) => vec![branch],
            Ast::Concat(concat) => concat
                .asts
                .iter()
                .filter(|a| matches!(a, Ast::Flags(_)))
                .collect(),
            _ => Vec::new(),
        };
        for setting in settings {
            flags.push_str(&text(setting));
        }
    }
    branches
}

#[cfg(test)]
mod tests {
    use super::*;

    fn patterns(regex: &str) -> Vec<String> {
        top_level_branches(regex)
            .into_iter()
            .map(|b| b.pattern)
            .collect()
    }

    #[test]
    fn an_alternation_of_the_whole_regex_or_of_its_only_group_has_branches() {
        assert_eq!(patterns("foo|bar baz"), ["foo", "bar baz"]);
        assert_eq!(patterns("(?P<what>foo|ba(r|z))"), ["foo", "ba(r|z)"]);
        assert_eq!(patterns("(?:^foo|bar)"), ["^foo", "bar"]);
        let texts: Vec<String> = top_level_branches("(?i:foo|bar)")
            .into_iter()
            .map(|b| b.text)
            .collect();
        assert_eq!(texts, ["foo", "bar"]);
    }

    #[test]
    fn flags_in_force_go_with_each_branch() {
        assert_eq!(patterns("(?i)(foo|bar)"), ["(?i)foo", "(?i)bar"]);
        assert_eq!(patterns("(?i:foo|bar)"), ["(?i)foo", "(?i)bar"]);
        assert_eq!(patterns("(?i)foo|bar"), ["(?i)foo", "(?i)bar"]);
        assert_eq!(patterns("foo|(?i)bar|baz"), ["foo", "(?i)bar", "(?i)baz"]);
        // What the branch regexes claim agrees with the regex itself.
        let whole = regex::Regex::new("foo|(?i)bar|baz").unwrap();
        let last = regex::Regex::new(&patterns("foo|(?i)bar|baz")[2]).unwrap();
        assert_eq!(whole.is_match("BAZ"), last.is_match("BAZ"));
    }

    #[test]
    fn no_top_level_alternation_no_branches() {
        assert!(patterns("foo").is_empty());
        assert!(patterns("^(foo|bar) baz").is_empty());
        assert!(patterns("(foo|bar)(baz|qux)").is_empty());
        assert!(patterns("(unclosed|").is_empty());
    }
}
