//! Keyset pages in SQL: the `Page`/`Position` rules of `domain::page` applied to a
//! boxed diesel query.

/// Keeps the rows of `$query` whose `$column` is in the caller's municipalities.
/// One municipality (most staff) is an equality, not `= ANY(...)`: PostgreSQL then
/// walks an index on `(…, municipality_id, id)` in order and stops at the page's
/// end, where `= ANY` makes it read and sort every matching row.
macro_rules! within_scope {
    ($query:expr, $column:expr, $scope:expr) => {{
        use diesel::prelude::*;
        match $scope {
            [one] => $query.filter($column.eq(*one)),
            many => $query.filter($column.eq_any(many)),
        }
    }};
}
pub(crate) use within_scope;

/// Orders `$query` by `$id` and limits it to one page from the request's position.
/// Rows come in list order after a position and in reverse before one, as
/// `Page::assemble` expects.
macro_rules! page_by_id {
    ($query:expr, $id:expr, $request:expr) => {{
        use diesel::prelude::*;
        let request = $request;
        let query = match &request.position {
            None => $query.order($id.asc()),
            Some(p) if p.direction == $crate::domain::page::Direction::After => {
                $query.filter($id.gt(p.id)).order($id.asc())
            }
            Some(p) => $query.filter($id.lt(p.id)).order($id.desc()),
        };
        query.limit(request.fetch())
    }};
}

pub(crate) use page_by_id;

/// As `page_by_id!`, newest (highest id) first: "after" a position means older rows.
macro_rules! page_by_id_desc {
    ($query:expr, $id:expr, $request:expr) => {{
        use diesel::prelude::*;
        let request = $request;
        let query = match &request.position {
            None => $query.order($id.desc()),
            Some(p) if p.direction == $crate::domain::page::Direction::After => {
                $query.filter($id.lt(p.id)).order($id.desc())
            }
            Some(p) => $query.filter($id.gt(p.id)).order($id.asc()),
        };
        query.limit(request.fetch())
    }};
}

pub(crate) use page_by_id_desc;

/// Turns the rows of a `page_by_id!` query into a page of domain values.
pub fn assemble<R, T>(
    rows: Vec<R>,
    request: &crate::domain::page::PageRequest<()>,
    id_of: impl Fn(&R) -> i64,
    convert: impl FnMut(R) -> crate::error::AppResult<T>,
) -> crate::error::AppResult<crate::domain::page::Page<T, ()>> {
    let page = crate::domain::page::Page::assemble(rows, request, |r| ((), id_of(r)));
    Ok(crate::domain::page::Page {
        items: page
            .items
            .into_iter()
            .map(convert)
            .collect::<crate::error::AppResult<Vec<T>>>()?,
        next: page.next,
        prev: page.prev,
    })
}

/// As `page_by_id!`, for lists ordered by `($key, $id)`; `$to_db` turns the
/// position's key into the column's value.
macro_rules! page_by_key {
    ($query:expr, $key:expr, $id:expr, $request:expr, $to_db:expr) => {{
        use diesel::prelude::*;
        let request = $request;
        let query = match &request.position {
            None => $query.order(($key.asc(), $id.asc())),
            Some(p) => {
                let k = $to_db(p.key);
                if p.direction == $crate::domain::page::Direction::After {
                    $query
                        .filter($key.gt(k.clone()).or($key.eq(k).and($id.gt(p.id))))
                        .order(($key.asc(), $id.asc()))
                } else {
                    $query
                        .filter($key.lt(k.clone()).or($key.eq(k).and($id.lt(p.id))))
                        .order(($key.desc(), $id.desc()))
                }
            }
        };
        query.limit(request.fetch())
    }};
}

pub(crate) use page_by_key;
