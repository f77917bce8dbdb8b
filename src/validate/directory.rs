//! Who leads what: the board's members as agencies with their leads, and
//! the other spellings of leads, checked into a [`Directory`].

use std::collections::BTreeMap;
use std::path::Path;

use super::check_slug;
use crate::diagnostics::{Diagnostic, Diagnostics, pos};
use crate::model::checked::{Agency, Directory};
use crate::model::{Board, Spanned};
use crate::slug::{lead_key, slugify};

/// Check the board's agencies and lead spellings.
pub(super) fn directory(board: &Board, file: &Path, diags: &mut Diagnostics) -> Directory {
    let mut out = Directory::default();
    aliases(board, file, diags, &mut out);
    let mut slugs: BTreeMap<String, String> = BTreeMap::new();
    for member in board.members.iter().filter(|m| !m.leads.is_empty()) {
        let slug = match &member.id {
            Some(id) => {
                check_slug(id, file, diags);
                id.value.clone()
            }
            None => slugify(&member.name),
        };
        if let Some(first) = slugs.insert(slug.clone(), member.name.clone()) {
            diags.push(
                Diagnostic::new(file, format!("the agencies \"{first}\" and \"{}\" would share the page `agencies/{slug}/`", member.name))
                    .at(member.id.as_ref().and_then(pos))
                    .help("give one of them its own `id:`"),
            );
            continue;
        }
        let index = out.agencies.len();
        out.agencies.push(Agency {
            slug,
            name: member.name.clone(),
            sector: member.sector.clone(),
        });
        for lead in &member.leads {
            let written = lead_key(&lead.value);
            let key = out.aliases.get(&written).cloned().unwrap_or(written);
            match out.agency.get(&key) {
                Some(&other) if other != index => diags.push(
                    Diagnostic::new(
                        file,
                        format!(
                            "`{}` is a lead of two agencies: {} and {}",
                            lead.value, out.agencies[other].name, member.name
                        ),
                    )
                    .at(pos(lead))
                    .help("list each person or group under one agency only"),
                ),
                _ => {
                    out.agency.insert(key, index);
                }
            }
        }
    }
    out
}

/// Each alias's key and the key of the lead it stands for, and the leads'
/// names as board.yaml gives them.
fn aliases(board: &Board, file: &Path, diags: &mut Diagnostics, out: &mut Directory) {
    let names: BTreeMap<String, &Spanned<String>> = board
        .leads
        .iter()
        .map(|l| (lead_key(&l.name.value), &l.name))
        .collect();
    for lead in &board.leads {
        let key = lead_key(&lead.name.value);
        out.names
            .insert(key.clone(), lead.name.value.trim().to_string());
        for alias in &lead.aliases {
            let alias_key = lead_key(&alias.value);
            if alias_key == key {
                continue;
            }
            let problem = if names.contains_key(&alias_key) {
                Some("is the name of another lead, so the two would stand for each other")
            } else if out.aliases.get(&alias_key).is_some_and(|k| *k != key) {
                Some("is already another lead's alias")
            } else {
                None
            };
            if let Some(problem) = problem {
                diags.push(
                    Diagnostic::new(file, format!("the alias `{}` {problem}", alias.value))
                        .at(pos(alias))
                        .help("give each spelling of a lead once, under the name its page should show"),
                );
                continue;
            }
            out.aliases.insert(alias_key, key.clone());
        }
    }
}
