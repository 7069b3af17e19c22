//! A watch's query: the syntax of `warta search` (words, `"phrases"`, `AND`, `OR`,
//! `NOT`, `+word`, `-word`, parentheses, `entity:ID`; words side by side must all
//! appear), parsed once and analysed with the index's own analysers, so a watch matches
//! the articles `warta search` would find.

use warta_store::analysis::index_terms;

/// A parsed query, before analysis.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Expr {
    /// Matches every article (an empty query).
    All,
    /// A word as written (analysed later; a word giving several terms is a phrase).
    Word(String),
    /// Words that must appear next to each other, in order.
    Phrase(String),
    /// An article naming this entity id.
    Entity(String),
    /// All of these.
    And(Vec<Expr>),
    /// Any of these.
    Or(Vec<Expr>),
    /// Not this.
    Not(Box<Expr>),
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Tok {
    Open,
    Close,
    And,
    Or,
    Not,
    Phrase(String),
    Word(String),
}

fn lex(query: &str) -> Vec<Tok> {
    let mut out = Vec::new();
    let mut chars = query.chars().peekable();
    while let Some(&c) = chars.peek() {
        if c.is_whitespace() {
            chars.next();
        } else if c == '(' {
            chars.next();
            out.push(Tok::Open);
        } else if c == ')' {
            chars.next();
            out.push(Tok::Close);
        } else if c == '"' {
            chars.next();
            let mut s = String::new();
            for c in chars.by_ref() {
                if c == '"' {
                    break;
                }
                s.push(c);
            }
            out.push(Tok::Phrase(s));
        } else {
            let mut s = String::new();
            while let Some(&c) = chars.peek() {
                if c.is_whitespace() || c == '(' || c == ')' {
                    break;
                }
                // `entity:"id with spaces"` keeps its quoted part.
                if c == '"' {
                    if !s.ends_with(':') {
                        break;
                    }
                    chars.next();
                    for c in chars.by_ref() {
                        if c == '"' {
                            break;
                        }
                        s.push(c);
                    }
                    continue;
                }
                s.push(c);
                chars.next();
            }
            out.push(match s.as_str() {
                "AND" | "&&" => Tok::And,
                "OR" | "||" => Tok::Or,
                "NOT" => Tok::Not,
                _ => Tok::Word(s),
            });
        }
    }
    out
}

struct Parser {
    toks: Vec<Tok>,
    pos: usize,
}

impl Parser {
    fn peek(&self) -> Option<&Tok> {
        self.toks.get(self.pos)
    }

    /// or := and (OR and)*
    fn or(&mut self) -> Expr {
        let mut parts = vec![self.and()];
        while self.peek() == Some(&Tok::Or) {
            self.pos += 1;
            parts.push(self.and());
        }
        simplify(parts, Expr::Or)
    }

    /// and := unary ((AND)? unary)*
    fn and(&mut self) -> Expr {
        let mut parts = Vec::new();
        loop {
            match self.peek() {
                None | Some(Tok::Close) | Some(Tok::Or) => break,
                Some(Tok::And) => {
                    self.pos += 1;
                }
                _ => parts.push(self.unary()),
            }
        }
        simplify(parts, Expr::And)
    }

    fn unary(&mut self) -> Expr {
        match self.peek().cloned() {
            Some(Tok::Not) => {
                self.pos += 1;
                if self.peek().is_none() {
                    return Expr::All;
                }
                Expr::Not(Box::new(self.unary()))
            }
            Some(Tok::Open) => {
                self.pos += 1;
                let e = self.or();
                if self.peek() == Some(&Tok::Close) {
                    self.pos += 1;
                }
                e
            }
            Some(Tok::Phrase(p)) => {
                self.pos += 1;
                Expr::Phrase(p)
            }
            Some(Tok::Word(w)) => {
                self.pos += 1;
                word(&w)
            }
            _ => {
                self.pos += 1;
                Expr::All
            }
        }
    }
}

fn word(w: &str) -> Expr {
    if let Some(rest) = w.strip_prefix('-').filter(|r| !r.is_empty()) {
        return Expr::Not(Box::new(word(rest)));
    }
    if let Some(rest) = w.strip_prefix('+').filter(|r| !r.is_empty()) {
        return word(rest);
    }
    if let Some(id) = w.strip_prefix("entity:").filter(|r| !r.is_empty()) {
        return Expr::Entity(id.to_string());
    }
    // `title:x`, `text:x`: the watch looks at title and text alike.
    for field in ["title:", "text:"] {
        if let Some(rest) = w.strip_prefix(field).filter(|r| !r.is_empty()) {
            return Expr::Word(rest.to_string());
        }
    }
    Expr::Word(w.to_string())
}

fn simplify(mut parts: Vec<Expr>, make: fn(Vec<Expr>) -> Expr) -> Expr {
    parts.retain(|p| *p != Expr::All);
    match parts.len() {
        0 => Expr::All,
        1 => parts.pop().expect("one part"),
        _ => make(parts),
    }
}

/// Parses a query. Never fails: like `warta search`'s lenient parser, stray operators
/// and unbalanced parentheses are read as well as they can be.
pub(crate) fn parse(query: &str) -> Expr {
    let mut p = Parser {
        toks: lex(query),
        pos: 0,
    };
    let mut parts = Vec::new();
    while p.pos < p.toks.len() {
        parts.push(p.or());
        // A stray `)` ends nothing: skip it and read on.
        if p.peek() == Some(&Tok::Close) {
            p.pos += 1;
        }
    }
    simplify(parts, Expr::And)
}

/// A query analysed for one language's index fields: every leaf is a sequence of
/// index terms (one term: a word; several: a phrase).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Compiled {
    /// Always true.
    All,
    /// These terms, consecutive.
    Terms(Vec<String>),
    /// An article naming this entity.
    Entity(String),
    /// All of these.
    And(Vec<Compiled>),
    /// Any of these.
    Or(Vec<Compiled>),
    /// Not this.
    Not(Box<Compiled>),
}

/// Analyses `expr` with the analyser of `language`'s index fields.
pub(crate) fn compile(expr: &Expr, language: &str) -> Compiled {
    match expr {
        Expr::All => Compiled::All,
        Expr::Word(w) | Expr::Phrase(w) => {
            let terms = index_terms(language, w);
            if terms.is_empty() {
                Compiled::All
            } else {
                Compiled::Terms(terms)
            }
        }
        Expr::Entity(id) => Compiled::Entity(id.clone()),
        Expr::And(parts) => Compiled::And(parts.iter().map(|p| compile(p, language)).collect()),
        Expr::Or(parts) => Compiled::Or(parts.iter().map(|p| compile(p, language)).collect()),
        Expr::Not(inner) => Compiled::Not(Box::new(compile(inner, language))),
    }
}

/// What an article must hold for a compiled query to match, as alternatives: the
/// query cannot match an article holding none of them. `None` when no such list exists
/// (an empty or purely negative query).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) enum Anchor {
    /// A term of the article's title or text.
    Term(String),
    /// An entity the article names.
    Entity(String),
}

impl Compiled {
    /// The anchors of this query (see [`Anchor`]), choosing the shortest list among the
    /// parts of a conjunction.
    pub(crate) fn anchors(&self) -> Option<Vec<Anchor>> {
        match self {
            Compiled::All | Compiled::Not(_) => None,
            // The rarest term of a phrase would be best; the longest is a fair guess.
            Compiled::Terms(terms) => terms
                .iter()
                .max_by_key(|t| t.len())
                .map(|t| vec![Anchor::Term(t.clone())]),
            Compiled::Entity(id) => Some(vec![Anchor::Entity(id.clone())]),
            Compiled::And(parts) => parts
                .iter()
                .filter_map(Compiled::anchors)
                .min_by_key(|a| a.len()),
            Compiled::Or(parts) => {
                let mut all = Vec::new();
                for p in parts {
                    all.extend(p.anchors()?);
                }
                all.sort();
                all.dedup();
                Some(all)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn w(s: &str) -> Expr {
        Expr::Word(s.into())
    }

    #[test]
    fn parses_the_search_syntax() {
        assert_eq!(parse(""), Expr::All);
        assert_eq!(parse("gempa"), w("gempa"));
        assert_eq!(
            parse("gempa cianjur"),
            Expr::And(vec![w("gempa"), w("cianjur")])
        );
        assert_eq!(
            parse("gempa AND cianjur OR banjir"),
            Expr::Or(vec![Expr::And(vec![w("gempa"), w("cianjur")]), w("banjir")])
        );
        assert_eq!(
            parse("(gempa OR banjir) -hoaks"),
            Expr::And(vec![
                Expr::Or(vec![w("gempa"), w("banjir")]),
                Expr::Not(Box::new(w("hoaks")))
            ])
        );
        assert_eq!(
            parse("\"prabowo subianto\" AND NOT kampanye"),
            Expr::And(vec![
                Expr::Phrase("prabowo subianto".into()),
                Expr::Not(Box::new(w("kampanye")))
            ])
        );
        assert_eq!(
            parse("entity:\"Q 1\" +gempa"),
            Expr::And(vec![Expr::Entity("Q 1".into()), w("gempa")])
        );
        // Lenient: stray operators and parentheses.
        assert_eq!(parse("gempa ) OR"), w("gempa"));
        assert_eq!(parse("(gempa"), w("gempa"));
    }

    #[test]
    fn analyses_like_the_index() {
        // Indonesian stemming: menulis → tulis; English: Snowball.
        assert_eq!(
            compile(&parse("Menulis"), "id"),
            Compiled::Terms(vec!["tulis".into()])
        );
        assert_eq!(
            compile(&parse("floods"), "en"),
            Compiled::Terms(vec!["flood".into()])
        );
        assert_eq!(
            compile(&parse("covid-19"), "id"),
            Compiled::Terms(vec!["covid".into(), "19".into()])
        );
    }

    #[test]
    fn anchors_pick_the_shortest_alternative() {
        let c = compile(&parse("(gempa OR banjir) cianjur"), "id");
        assert_eq!(c.anchors(), Some(vec![Anchor::Term("cianjur".into())]));
        let c = compile(&parse("gempa OR banjir"), "id");
        assert_eq!(
            c.anchors(),
            Some(vec![
                Anchor::Term("banjir".into()),
                Anchor::Term("gempa".into())
            ])
        );
        assert_eq!(compile(&parse("-gempa"), "id").anchors(), None);
        assert_eq!(compile(&parse("gempa OR -banjir"), "id").anchors(), None);
    }
}
