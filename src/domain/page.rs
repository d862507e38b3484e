//! Keyset pagination: a page starts after (or ends before) a known row, so rows
//! inserted meanwhile never shift what the caller sees — no duplicates, no gaps.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    /// Rows that sort after the position.
    After,
    /// Rows that sort before the position.
    Before,
}

/// A place in a list ordered by `(key, id)`; `key` is `()` for lists ordered by id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Position<K> {
    pub direction: Direction,
    pub key: K,
    pub id: i64,
}

#[derive(Debug, Clone)]
pub struct PageRequest<K> {
    pub limit: i64,
    pub position: Option<Position<K>>,
}

impl<K> PageRequest<K> {
    pub const DEFAULT_LIMIT: i64 = 50;
    pub const MAX_LIMIT: i64 = 200;

    pub fn parse_limit(limit: Option<i64>) -> Result<i64, String> {
        match limit {
            None => Ok(Self::DEFAULT_LIMIT),
            Some(n) if (1..=Self::MAX_LIMIT).contains(&n) => Ok(n),
            Some(_) => Err(format!("must be between 1 and {}", Self::MAX_LIMIT)),
        }
    }

    /// Rows to fetch: one more than the page, to know whether another page follows.
    pub fn fetch(&self) -> i64 {
        self.limit + 1
    }

    pub fn direction(&self) -> Direction {
        self.position.as_ref().map(|p| p.direction).unwrap_or(Direction::After)
    }
}

#[derive(Debug, Clone)]
pub struct Page<T, K> {
    /// In list order.
    pub items: Vec<T>,
    pub next: Option<Position<K>>,
    pub prev: Option<Position<K>>,
}

impl<T, K> Page<T, K> {
    /// Builds a page from up to `fetch()` rows read in the request's direction (list
    /// order for `After`, reverse order for `Before`).
    pub fn assemble(mut rows: Vec<T>, request: &PageRequest<K>, position_of: impl Fn(&T) -> (K, i64)) -> Page<T, K> {
        let limit = request.limit as usize;
        let more = rows.len() > limit;
        rows.truncate(limit);
        let at = |row: &T, direction| {
            let (key, id) = position_of(row);
            Position { direction, key, id }
        };
        match request.direction() {
            Direction::After => {
                let next = if more {
                    rows.last().map(|r| at(r, Direction::After))
                } else {
                    None
                };
                let prev = if request.position.is_some() {
                    rows.first().map(|r| at(r, Direction::Before))
                } else {
                    None
                };
                Page {
                    items: rows,
                    next,
                    prev,
                }
            }
            Direction::Before => {
                rows.reverse();
                let prev = if more {
                    rows.first().map(|r| at(r, Direction::Before))
                } else {
                    None
                };
                let next = rows.last().map(|r| at(r, Direction::After));
                Page {
                    items: rows,
                    next,
                    prev,
                }
            }
        }
    }

    pub fn map<U>(self, f: impl FnMut(T) -> U) -> Page<U, K> {
        Page {
            items: self.items.into_iter().map(f).collect(),
            next: self.next,
            prev: self.prev,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Pages over ids 1..=n the way the store would read them.
    fn read(n: i64, request: &PageRequest<()>) -> Page<i64, ()> {
        let all: Vec<i64> = (1..=n).collect();
        let rows: Vec<i64> = match &request.position {
            None => all.iter().copied().take(request.fetch() as usize).collect(),
            Some(p) if p.direction == Direction::After => all
                .iter()
                .copied()
                .filter(|&i| i > p.id)
                .take(request.fetch() as usize)
                .collect(),
            Some(p) => all
                .iter()
                .rev()
                .copied()
                .filter(|&i| i < p.id)
                .take(request.fetch() as usize)
                .collect(),
        };
        Page::assemble(rows, request, |&i| ((), i))
    }

    #[test]
    fn walking_forward_then_back_visits_every_row_once_in_order() {
        let mut request = PageRequest {
            limit: 3,
            position: None,
        };
        let mut seen = Vec::new();
        let last_page = loop {
            let page = read(10, &request);
            seen.extend(page.items.iter().copied());
            match page.next.clone() {
                Some(next) => request.position = Some(next),
                None => break page,
            }
        };
        assert_eq!(seen, (1..=10).collect::<Vec<_>>());
        let mut back = Vec::new();
        let mut prev = last_page.prev;
        while let Some(position) = prev {
            let page = read(
                10,
                &PageRequest {
                    limit: 3,
                    position: Some(position),
                },
            );
            back.splice(0..0, page.items.iter().copied());
            prev = page.prev;
        }
        assert_eq!(back, (1..=9).collect::<Vec<_>>());
    }

    #[test]
    fn the_limit_is_one_to_two_hundred_and_fifty_by_default() {
        assert_eq!(PageRequest::<()>::parse_limit(None), Ok(50));
        assert_eq!(PageRequest::<()>::parse_limit(Some(200)), Ok(200));
        assert!(PageRequest::<()>::parse_limit(Some(0)).is_err());
        assert!(PageRequest::<()>::parse_limit(Some(201)).is_err());
    }
}
