"""French and English for the reports: every UI string, and numbers and dates as each
language writes them.

One table holds every string a report or chart shows, so a missing translation fails a test
instead of leaking an English word into a French report. Numbers and dates go through babel
(CLDR data): ``27,9 %`` with a no-break space and ``1 006`` with a narrow no-break space in
French, ``27.9%`` and ``1,006`` in English, so that they never wrap in the middle. Charts get
the same conventions through Vega's d3 locale (`vega_locale`).
"""

from __future__ import annotations

import copy
import difflib
from datetime import date, timedelta
from typing import Any, Literal

from babel import Locale
from babel.dates import format_date
from babel.numbers import format_decimal, format_percent

Lang = Literal["fr", "en"]
LANGS: tuple[Lang, ...] = ("fr", "en")
#: The babel locale behind each language. English follows US number conventions like the
#: charts' en-US locale; dates use the day-month-year order of UN documents in both languages.
BABEL_LOCALES: dict[str, str] = {"fr": "fr_FR", "en": "en_US"}
Precision = Literal["day", "month", "year"]
#: CLDR date patterns by precision: a yearly figure is dated "2019", not "1 January 2019".
DATE_PATTERNS: dict[str, str] = {"day": "d MMMM y", "month": "MMMM y", "year": "y"}


class TranslationError(LookupError):
    """An unknown translation key or language: a bug in a notebook or a missing entry here."""


#: key -> {"fr": ..., "en": ...}. Strings with ``{name}`` fields are filled by `t`.
STRINGS: dict[str, dict[str, str]] = {
    # Progress bands (pipelines.analysis.progress.STATUSES)
    "status.achieved": {"fr": "cible atteinte", "en": "achieved"},
    "status.on_track": {"fr": "en bonne voie", "en": "on track"},
    "status.needs_acceleration": {"fr": "accélération nécessaire", "en": "needs acceleration"},
    "status.limited_progress": {"fr": "progrès limités", "en": "limited progress"},
    "status.deterioration": {"fr": "détérioration", "en": "deterioration"},
    "status.insufficient_data": {"fr": "données insuffisantes", "en": "insufficient data"},
    "status.not_assessed": {"fr": "sans évaluation (rapport de contexte)", "en": "not assessed (context report)"},
    "status.transferred": {"fr": "transféré, plus évalué", "en": "transferred, no longer assessed"},
    "status.retired": {"fr": "retiré, plus évalué", "en": "retired, no longer assessed"},
    # Milestone statuses (schema.MILESTONE_STATUS, Peace Accords Matrix scale)
    "milestone_status.not_initiated": {"fr": "non engagé", "en": "not initiated"},
    "milestone_status.minimal": {"fr": "minimal", "en": "minimal"},
    "milestone_status.intermediate": {"fr": "intermédiaire", "en": "intermediate"},
    "milestone_status.full": {"fr": "complet", "en": "full"},
    "milestone_status.reversed": {"fr": "en recul", "en": "reversed"},
    # Why a status is what it is (pipelines.analysis.progress.REASONS)
    "reason.no_target": {"fr": "aucune cible fixée", "en": "no target"},
    "reason.too_few_points": {"fr": "moins de deux valeurs observées", "en": "fewer than two observed values"},
    "reason.target_met": {"fr": "la dernière valeur atteint la cible", "en": "the latest value meets the target"},
    "reason.target_met_at_baseline": {"fr": "cible déjà atteinte à la référence",
                                      "en": "target already met at the baseline"},
    "reason.target_lost_since_baseline": {"fr": "cible atteinte à la référence, perdue depuis",
                                          "en": "target met at the baseline, lost since"},
    "reason.pace_ratio": {"fr": "rythme observé comparé au rythme requis",
                          "en": "observed pace against the required pace"},
    "reason.deadline_passed": {"fr": "échéance dépassée : part du chemin parcouru",
                               "en": "deadline passed: share of the distance covered"},
    "reason.no_target_date": {"fr": "sans échéance : part du chemin parcouru",
                              "en": "no target date: share of the distance covered"},
    "reason.zero_base_linear": {"fr": "base nulle : rythme linéaire", "en": "zero base: linear pace"},
    "reason.met_by_deadline": {"fr": "cible atteinte à l'échéance", "en": "target met by the deadline"},
    "reason.no_point_by_deadline": {"fr": "aucune valeur datée d'avant l'échéance",
                                    "en": "no value dated by the deadline"},
    "reason.only_before_baseline": {"fr": "seules des valeurs antérieures à la feuille de route, qui ne décident pas "
                                          "seules d'un statut",
                                    "en": "only values from before the roadmap, which never decide a status alone"},
    "reason.no_start_figure": {"fr": "aucun chiffre connu à la date d'où les ajouts se comptent",
                               "en": "no figure known on the date additions are counted from"},
    "reason.pace_window_short": {"fr": "trop peu de recul pour juger d'un rythme",
                                 "en": "too short a span to judge a pace"},
    # Confidence of a figure (schema.CONFIDENCE)
    "confidence.primary": {"fr": "source primaire", "en": "primary source"},
    "confidence.secondary": {"fr": "source secondaire", "en": "secondary source"},
    "confidence.derived": {"fr": "calculé à partir de sources", "en": "derived from cited figures"},
    # Words of tables, panels and tooltips
    "target": {"fr": "cible", "en": "target"},
    "target_value": {"fr": "cible {value}", "en": "target {value}"},
    "baseline": {"fr": "référence", "en": "baseline"},
    "baseline_value": {"fr": "référence {value}", "en": "baseline {value}"},
    "latest": {"fr": "dernière valeur", "en": "latest"},
    "source": {"fr": "source", "en": "source"},
    "sources": {"fr": "sources", "en": "sources"},
    "symbol": {"fr": "cote", "en": "symbol"},
    "confidence": {"fr": "fiabilité", "en": "confidence"},
    "note": {"fr": "note", "en": "note"},
    "date": {"fr": "date", "en": "date"},
    "value": {"fr": "valeur", "en": "value"},
    "status": {"fr": "statut", "en": "status"},
    "score": {"fr": "score", "en": "score"},
    "benchmark": {"fr": "critère", "en": "benchmark"},
    "milestone": {"fr": "jalon", "en": "milestone"},
    "description": {"fr": "description", "en": "description"},
    "data_quality": {"fr": "qualité des données", "en": "data quality"},
    "as_of": {"fr": "situation au {date}", "en": "as of {date}"},
    "current_status": {"fr": "état d'avancement", "en": "current status"},
    "anticipated_progress": {"fr": "progrès anticipé", "en": "anticipated progress"},
    "no_evidence": {"fr": "aucun élément trouvé", "en": "no evidence found"},
    "not_available": {"fr": "non disponible", "en": "not available"},
    "mean_of_values": {"fr": "moyenne de {count} valeurs", "en": "mean of {count} values"},
    # Key dates of the reports
    # Axis titles
    "axis.year": {"fr": "année", "en": "year"},
    "axis.date": {"fr": "date", "en": "date"},
    "axis.share_of_seats": {"fr": "part des sièges (%)", "en": "share of seats (%)"},
    "axis.progress": {"fr": "progression vers la cible", "en": "progress towards the target"},
    "axis.score": {"fr": "score (0 à 1)", "en": "score (0 to 1)"},
    # Axis titles by unit (schema.UNITS)
    "unit.percent": {"fr": "pourcentage (%)", "en": "percentage (%)"},
    "unit.count": {"fr": "nombre", "en": "number"},
    "unit.persons": {"fr": "personnes", "en": "persons"},
    "unit.households": {"fr": "ménages", "en": "households"},
    "unit.fcfa_bn": {"fr": "milliards de francs CFA", "en": "CFA francs (billions)"},
    "unit.ratio": {"fr": "ratio", "en": "ratio"},
    # Report panels (pipelines.present.panels and the *_panels modules)
    "criterion": {"fr": "Critère de référence ({symbol}, § {paragraph})",
                  "en": "Benchmark criterion ({symbol}, para. {paragraph})"},
    "criterion_no_paragraph": {"fr": "Critère de référence ({symbol})", "en": "Benchmark criterion ({symbol})"},
    "retired.transferred": {"fr": "Critère transféré le {date} (source : {source}) : il n'est plus évalué depuis cette date.",
                            "en": "Benchmark transferred on {date} (source: {source}): it is no longer assessed from that date."},
    "retired.transferred_to": {
        "fr": "Critère transféré à {to} le {date} (source : {source}) : il n'est plus évalué depuis cette date.",
        "en": "Benchmark transferred to {to} on {date} (source: {source}): it is no longer assessed from that date."},
    "retired.retired": {"fr": "Critère retiré le {date} (source : {source}) : il n'est plus évalué depuis cette date.",
                        "en": "Benchmark retired on {date} (source: {source}): it is no longer assessed from that date."},
    "retired.retired_to": {
        "fr": "Critère retiré le {date}, confié à {to} (source : {source}) : il n'est plus évalué depuis cette date.",
        "en": "Benchmark retired on {date}, handed to {to} (source: {source}): it is no longer assessed from that date."},
    "status_at": {"fr": "Statut au {date} : {status}", "en": "Status as of {date}: {status}"},
    "headline_figures": {"fr": "Chiffres clés", "en": "Headline figures"},
    "indicator": {"fr": "indicateur", "en": "indicator"},
    "milestones": {"fr": "Jalons", "en": "Milestones"},
    "no_milestones": {"fr": "La feuille de route ne fixe pas de jalon pour cet objectif : son statut suit ses "
                            "indicateurs.",
                      "en": "The roadmap sets no milestone for this benchmark: its status follows its indicators."},
    "no_trend": {"fr": "Aucun indicateur de cet objectif n'a de chiffre national à porter sur un graphique à "
                       "cette date.",
                 "en": "No indicator of this benchmark has a national figure to chart at this date."},
    "milestone_points": {"fr": "{points} points sur {max} ({share})", "en": "{points} of {max} points ({share})"},
    "milestone_rule": {"fr": "Règle : chaque jalon compte pour son dernier événement enregistré, sur l'échelle du "
                             "Peace Accords Matrix ({scale}) ; aucun événement compte 0. Tous les jalons complets : "
                             "atteint ; un jalon en recul : détérioration ; sinon la part des points est classée "
                             "comme Open SDG classe un rythme : au moins {on_track} en bonne voie, au moins {needs} "
                             "à accélérer, en deçà progrès limités.",
                       "en": "Rule: each milestone counts for its latest recorded event, on the Peace Accords Matrix "
                             "scale ({scale}); no event counts 0. Every milestone full: achieved; a milestone "
                             "reversed: deterioration; otherwise the share of points is banded as Open SDG bands a "
                             "pace: at least {on_track} on track, at least {needs} needs acceleration, below that "
                             "limited progress."},
    "due": {"fr": "échéance", "en": "due"},
    "trends": {"fr": "Évolution des indicateurs", "en": "Indicator trends"},
    "assessed_on": {"fr": "Série évaluée : {source}. {reason}.", "en": "Series assessed: {source}. {reason}."},
    # Why a status is what it is, in plain words (`panels.status_sentence`), one per rule of
    # `pipelines.analysis.progress`: the figures, the target and the arithmetic.
    "score_text.milestones": {"fr": "{points} points de jalons sur {max} (échelle 0 à 3 par jalon)",
                              "en": "{points} of {max} milestone points (0 to 3 per milestone)"},
    "quarter": {"fr": "T{n} {year}", "en": "Q{n} {year}"},
    "history.title": {"fr": "Statut de chaque critère à chaque fin de trimestre, tel que connu à cette date",
                      "en": "Each benchmark's status at each quarter end, as known on that date"},
    "history.strip_title": {"fr": "Statut à chaque fin de trimestre, tel que connu à cette date",
                            "en": "Status at each quarter end, as known on that date"},
    "history.note": {"fr": "Chaque case applique les règles de ce rapport aux seuls chiffres publiés à sa date "
                           "(un chiffre publié après une fin de trimestre ne compte qu'à partir de la suivante) ; "
                           "le texte donne les points des jalons ou la part du chemin vers la cible. La dernière "
                           "colonne est la date du rapport.",
                     "en": "Each cell applies this report's rules to the figures published by its date only (a "
                           "figure published after a quarter end counts from the next one); the text gives the "
                           "milestone points or the share of the way to the target. The last column is the "
                           "report's date."},
    "history.csv": {"fr": "Télécharger l'historique (CSV)", "en": "Download the history (CSV)"},
    "since.title": {"fr": "Depuis le {date}", "en": "Since {date}"},
    "since.none": {"fr": "Aucun changement depuis le {since} : ni chiffre, ni jalon, ni statut, ni source nouveaux "
                         "(données connues au {as_of}).",
                   "en": "No change since {since}: no new figure, milestone event, status or source (data as "
                         "known on {as_of})."},
    "since.no_status_change": {"fr": "Aucun critère n'a changé de statut depuis le {since} (données connues au "
                                     "{as_of}).",
                               "en": "No benchmark's status changed since {since} (data as known on {as_of})."},
    "since.intro": {"fr": "Ce qui a changé entre le {since} et le {as_of}, chaque élément tel que connu à sa date, "
                          "avec sa source.",
                    "en": "What changed between {since} and {as_of}, each item as known on its date, with its "
                          "source."},
    "since.status_changed": {"fr": "Statuts modifiés ({count})", "en": "Status changes ({count})"},
    "since.event": {"fr": "Événements des jalons ({count})", "en": "Milestone events ({count})"},
    "since.figure_revised": {"fr": "Chiffres révisés ({count})", "en": "Figures revised ({count})"},
    "since.figure_added": {"fr": "Chiffres ajoutés ({count})", "en": "Figures added ({count})"},
    "since.source_added": {"fr": "Sources publiées ({count})", "en": "Sources published ({count})"},
    "since.what": {"fr": "élément", "en": "item"},
    "since.change": {"fr": "changement", "en": "change"},
    "since.source": {"fr": "nouvelle source citée", "en": "new source cited"},
    "since.all_changes": {"fr": "Tous les changements de la période ({count}) : figures, jalons, sources",
                          "en": "Every change of the period ({count}): figures, milestones, sources"},
    "changes.title": {"fr": "{acronym} ({symbol}) : ce qui a changé depuis le {since}",
                      "en": "{acronym} ({symbol}): what changed since {since}"},
    "since.more": {"fr": "… et {count} autres : voir ci-dessous.", "en": "… and {count} more: see below."},
    "csv_too_large": {"fr": "{rows} lignes ({size} Mo) : trop pour les joindre à la page ; les données en "
                            "téléchargement (CSV) contiennent chaque chiffre avec le jour où il a été connu.",
                      "en": "{rows} rows ({size} MB): too many to carry in the page; the data downloads (CSV) hold "
                            "every figure with the day it became known."},
    "since.csv": {"fr": "Télécharger ces changements (CSV)", "en": "Download these changes (CSV)"},
    "score_short.milestones": {"fr": "{points}/{max} points", "en": "{points}/{max} points"},
    "score_short.indicator": {"fr": "{share} du chemin", "en": "{share} of the way"},
    "score_text.indicator": {"fr": "{share} du chemin vers la cible", "en": "{share} of the way to the target"},
    "by_and_after_deadline": {"fr": "{decided[0]} ({decided[1]}, à l'échéance) ; {later[0]} ({later[1]}, après)",
                              "en": "{decided[0]} ({decided[1]}, by the deadline); {later[0]} ({later[1]}, after it)"},
    "why.no_target": {"fr": "Aucune cible n'est fixée pour cet indicateur : ses chiffres sont donnés pour contexte.",
                      "en": "No target is set for this indicator: its figures are given for context."},
    "why.too_few_points": {"fr": "Moins de deux chiffres connus : données insuffisantes pour évaluer un rythme.",
                           "en": "Fewer than two known figures: not enough data to assess a pace."},
    "why.no_point_by_deadline": {"fr": "Aucun chiffre daté d'avant l'échéance du {deadline} : on ne peut dire si la "
                                       "cible de {target} a été atteinte à temps.",
                                 "en": "No figure dated by the deadline of {deadline}: whether the {target} target "
                                       "was met in time cannot be said."},
    "why.only_before_baseline": {"fr": "Le seul chiffre connu ({value}, {date}) précède la feuille de route : un "
                                       "chiffre d'avant la feuille de route ne décide pas seul d'un statut.",
                                 "en": "The only figure known ({value}, {date}) predates the roadmap: a figure from "
                                       "before the roadmap never decides a status alone."},
    "why.target_met": {"fr": "{value} ({date}) atteint la cible de {target} : atteint.",
                       "en": "{value} ({date}) meets the {target} target: achieved."},
    "why.met_by_deadline": {"fr": "{value} ({date}) atteint la cible de {target} avant l'échéance du {deadline} : "
                                  "atteint dans les temps.",
                            "en": "{value} ({date}) meets the {target} target by the deadline of {deadline}: "
                                  "achieved in time."},
    "why.deadline_passed": {"fr": "{value} ({date}), dernier chiffre avant l'échéance du {deadline}, n'atteint pas "
                                  "la cible de {target} : non atteint à l'échéance ; {covered} du chemin depuis "
                                  "{base} ({base_date}) parcouru.",
                            "en": "{value} ({date}), the last figure by the deadline of {deadline}, does not meet "
                                  "the {target} target: not achieved by the deadline; {covered} of the distance "
                                  "from {base} ({base_date}) covered."},
    "why.pace_ratio": {"fr": "De {base} ({base_date}) à {value} ({date}) : au rythme observé, {pace} du rythme "
                             "nécessaire pour atteindre {target} d'ici le {deadline}.",
                       "en": "From {base} ({base_date}) to {value} ({date}): the observed pace is {pace} of the pace "
                             "needed to reach {target} by {deadline}."},
    "span.month": {"fr": "{n} mois", "en": "{n} month"},
    "span.months": {"fr": "{n} mois", "en": "{n} months"},
    "why.pace_window_short": {"fr": "De {base} ({base_date}) à {value} ({date}) : {months} seulement, moins "
                                    "que les {min_months} sur lesquels le fichier de la feuille de route juge un "
                                    "rythme vers {target} d'ici le {deadline} : données insuffisantes.",
                              "en": "From {base} ({base_date}) to {value} ({date}): only {months}, less than "
                                    "the {min_months} over which the roadmap file judges a pace toward "
                                    "{target} by {deadline}: insufficient data."},
    "why.no_target_date": {"fr": "De {base} ({base_date}) à {value} ({date}) : {covered} du chemin vers {target} "
                                 "parcouru (cible sans échéance).",
                           "en": "From {base} ({base_date}) to {value} ({date}): {covered} of the distance to "
                                 "{target} covered (the target has no date)."},
    "why.target_met_at_baseline": {"fr": "La cible de {target} était déjà atteinte à la référence ({base}, "
                                         "{base_date}) et l'est encore ({value}, {date}).",
                                   "en": "The {target} target was already met at the baseline ({base}, {base_date}) "
                                         "and still is ({value}, {date})."},
    "why.target_lost_since_baseline": {"fr": "La cible de {target} était atteinte à la référence ({base}, "
                                             "{base_date}) et ne l'est plus ({value}, {date}) : recul.",
                                       "en": "The {target} target was met at the baseline ({base}, {base_date}) and "
                                             "no longer is ({value}, {date}): deterioration."},
    "why.no_start_figure": {"fr": "Seuls les ajouts depuis le {since} comptent, et aucun chiffre n'était connu à "
                                  "cette date : on ne peut compter ce qui a été ajouté depuis.",
                            "en": "Only what was added since {since} counts, and no figure was known on that "
                                  "date: what was added since cannot be counted."},
    "why.counted_from": {"fr": "Compté depuis le {since} : chaque chiffre moins {start} ({start_date}), le "
                               "dernier connu à cette date.",
                         "en": "Counted since {since}: each figure minus {start} ({start_date}), the last one "
                               "known on that date."},
    "added_since": {"fr": "{value} ajoutés depuis le {since} ({total} au total, {date})",
                    "en": "{value} added since {since} ({total} in all, {date})"},
    "rule_declared": {"fr": "Règle (fichier de la feuille de route) : {rule}", "en": "Rule (roadmap file): {rule}"},
    "rule_quote": {"fr": "Texte de la feuille de route{paragraph} : « {quote} »",
                   "en": "The roadmap's words{paragraph}: “{quote}”"},
    "rule_paragraph": {"fr": " (§ {paragraph})", "en": " (para. {paragraph})"},
    "baseline_body": {"fr": "Référence : le chiffre de l'organe en fonction à la date de la feuille de route, {body}.",
                      "en": "Baseline: the figure of the body in office on the roadmap's date, {body}."},
    "date_inferred_rule.one": {"fr": "Un de ces chiffres n'a pas de date publiée (date déduite) : montré, jamais "
                                     "évalué.",
                               "en": "One of these figures has no published date (its date is inferred): shown, "
                                     "never assessed."},
    "date_inferred_rule": {"fr": "{count} de ces chiffres n'ont pas de date publiée (date déduite) : montrés, "
                                 "jamais évalués.",
                           "en": "{count} of these figures have no published date (their date is inferred): shown, "
                                 "never assessed."},
    "status_no_target": {"fr": "sans cible : non évalué", "en": "no target: not assessed"},
    "why.benchmark": {"fr": "Le moins avancé de ses {count} éléments décide : {part}",
                      "en": "The least advanced of its {count} parts decides: {part}"},
    "why.benchmark_milestones": {"fr": "jalons : {points} points sur {max}, soit {share} : {band}.",
                                 "en": "milestones: {points} of {max} points, {share}: {band}."},
    "band.on_track": {"fr": "au moins {on_track}", "en": "at least {on_track}"},
    "band.needs_acceleration": {"fr": "au moins {needs}, moins de {on_track}", "en": "at least {needs}, under {on_track}"},
    "band.limited_progress": {"fr": "moins de {needs}", "en": "under {needs}"},
    "band.achieved": {"fr": "tous les jalons complets", "en": "every milestone full"},
    "band.insufficient_data": {"fr": "aucun élément enregistré", "en": "no evidence recorded"},
    "why.benchmark_reversed": {"fr": "jalons : {points} points sur {max}, dont {count} jalon(s) en recul : un recul "
                                     "signifie une détérioration.",
                               "en": "milestones: {points} of {max} points, {count} of them reversed: a reversal "
                                     "means deterioration."},
    "why.benchmark_none": {"fr": "Aucune partie du critère n'a encore de chiffre ni d'élément : données insuffisantes.",
                           "en": "No part of the benchmark has a figure or evidence yet: insufficient data."},
    "why.after_deadline": {"fr": "Chiffre postérieur à l'échéance, sans effet sur le statut : {value} ({date}).",
                           "en": "A figure after the deadline, which does not change the status: {value} ({date})."},
    "regional_figures": {"fr": "Chiffres par région", "en": "Figures by region"},
    "region": {"fr": "région", "en": "region"},
    "no_figures": {"fr": "Aucun chiffre publié n'a été trouvé pour : {names}. Ils restent absents, jamais estimés.",
                   "en": "No published figure was found for: {names}. They stay missing, never estimated."},
    "unlisted": {"fr": "{count} autres indicateurs comptent dans le statut mais ne sont pas détaillés ici "
                       "(un rapport en détaille au plus {most}) ; tous leurs chiffres sont dans",
                 "en": "{count} more indicators count towards the status but are not detailed here "
                       "(a report details at most {most}); all their figures are in"},
    "benchmark_data": {"fr": "les données de ce critère (CSV)", "en": "this benchmark's data (CSV)"},
    "quality_ok": {"fr": "Toutes les règles de qualité sont respectées pour les données de ce rapport.",
                   "en": "Every data-quality rule passes for the data of this report."},
    "quality_ok_kept": {"fr": "Les règles de qualité sont respectées par les lignes retenues ; les lignes écartées "
                              "ci-dessus n'entrent dans aucun chiffre de ce rapport.",
                        "en": "The data-quality rules pass on the rows kept; the rows set aside above count in no "
                              "figure of this report."},
    "quality_quarantined": {"fr": "{count} ligne(s) fournie(s) pour ce rapport ont été écartées à la lecture "
                                  "(quarantaine) et n'y figurent pas : corrigez-les dans le fichier indiqué.",
                            "en": "{count} row(s) supplied for this report were set aside when read (quarantine) "
                                  "and are not in it: fix them in the file named."},
    "column": {"fr": "colonne", "en": "column"},
    "reason": {"fr": "motif", "en": "reason"},
    "quarantined_figures": {"fr": "Des chiffres fournis pour {names} ont été écartés à la lecture : voir le panneau "
                                  "de qualité des données.",
                            "en": "Figures supplied for {names} were set aside when read: see the data-quality "
                                  "panel."},
    "quality_failed": {"fr": "{errors} erreur(s) et {warnings} avertissement(s) de qualité touchent ce rapport.",
                       "en": "{errors} error(s) and {warnings} warning(s) of data quality touch this report."},
    "quality_origin.stored": {"fr": "résultats de la dernière validation", "en": "results of the last validation"},
    "quality_origin.recomputed": {"fr": "contrôles refaits : les données ont changé depuis la validation",
                                  "en": "checks re-run: the data changed since the last validation"},
    "rule": {"fr": "règle", "en": "rule"},
    "severity": {"fr": "gravité", "en": "severity"},
    "where": {"fr": "fichier, ligne", "en": "file, line"},
    "title": {"fr": "titre", "en": "title"},
    "publisher": {"fr": "éditeur", "en": "publisher"},
    "published": {"fr": "publié le", "en": "published"},
    "paragraph": {"fr": "paragraphe", "en": "paragraph"},
    "kind": {"fr": "type", "en": "kind"},
    "overview_title": {"fr": "Feuille de route de la {acronym} ({symbol}) : tableau de bord des critères",
                       "en": "{acronym} roadmap ({symbol}): benchmark scorecard"},
    "roadmap_name": {"fr": "Feuille de route de la {acronym} ({symbol})", "en": "{acronym} roadmap ({symbol})"},
    "roadmap_index": {"fr": "Rapports sur les critères de la feuille de route de la {acronym} ({symbol})",
                      "en": "Reports on the benchmarks of the {acronym} roadmap ({symbol})"},
    "roadmaps_home": {"fr": "Feuilles de route des opérations de paix : rapports sur les critères",
                      "en": "Peace-operation roadmaps: benchmark reports"},
    "overview_intro": {
        "fr": "Où en est chaque critère de référence au {date} ? Le score d'un critère à jalons est la somme "
              "des statuts de ses jalons sur l'échelle du Peace Accords Matrix (0 à 3) divisée par le maximum ; "
              "un critère mesuré par un indicateur montre la part du chemin parcouru vers sa cible.",
        "en": "Where does each benchmark stand on {date}? A milestone benchmark scores the sum of its milestones' "
              "statuses on the Peace Accords Matrix scale (0 to 3) over the maximum; a benchmark measured by an "
              "indicator shows the share of the distance to its target covered so far."},
    "latest_figures": {"fr": "derniers chiffres", "en": "latest figures"},
    "report": {"fr": "rapport", "en": "report"},
    "footer": {"fr": "Chaque chiffre provient d'une source citée ; un chiffre non publié reste absent. "
                     "Situation au {as_of}, telle qu'on pouvait la connaître ce jour-là : un chiffre ou une "
                     "source publiés plus tard sont laissés de côté. Rapport produit pour la date {build_date}.",
               "en": "Every figure comes from a cited source; a figure not published stays missing. "
                     "Situation as of {as_of}, as known on that day: a figure or source published later is "
                     "left out. Report built for {build_date}."},
    "undated_rule.one": {"fr": "Un de ces chiffres n'a pas de date de publication connue (ni la sienne, ni celle "
                               "de sa source) : il compte comme connu à la fin de la période qu'il décrit.",
                         "en": "One of these figures has no known publication date (neither its own nor its "
                               "source's): it counts as known from the end of the period it describes."},
    "undated_rule": {"fr": "{count} de ces chiffres n'ont pas de date de publication connue (ni la leur, ni celle "
                           "de leur source) : ils comptent comme connus à la fin de la période qu'ils décrivent.",
                     "en": "{count} of these figures have no known publication date (neither their own nor "
                           "their source's): they count as known from the end of the period they describe."},
    # --- women quota and DDR (thematic) ---
    # Shared by both reports (pipelines.analysis.women, pipelines.analysis.ddr)
    "wq_ddr.outcome.deadline_passed": {"fr": "sans objet : l'échéance est passée", "en": "none: the deadline has passed"},
    "wq_ddr.outcome.pace_window_short": {"fr": "aucune : trop peu de recul depuis la référence pour prolonger un "
                                                "rythme", "en": "none: too short a span since the baseline to "
                                                "prolong a pace"},
    "wq_ddr.outcome.reached": {"fr": "déjà atteint", "en": "already reached"},
    "wq_ddr.outcome.never": {"fr": "jamais à ce rythme", "en": "never at this pace"},
    "wq_ddr.outcome.beyond": {"fr": "pas avant {year} à ce rythme ({pace})",
                              "en": "not before {year} at this pace ({pace})"},
    "wq_ddr.outcome.insufficient_data": {"fr": "données insuffisantes (un seul chiffre daté)",
                                         "en": "insufficient data (a single dated figure)"},
    "wq_ddr.outcome.zero_base": {"fr": "non défini (base nulle)", "en": "undefined (zero base)"},
    "wq_ddr.pace.points": {"fr": "{value} point(s) par an", "en": "{value} points a year"},
    "wq_ddr.pace.rate": {"fr": "{value} par an", "en": "{value} a year"},
    "wq_ddr.pace.units": {"fr": "{value} {unit} par an", "en": "{value} {unit} a year"},
    "wq_ddr.agree": {"fr": "les sources concordent", "en": "sources agree"},
    "wq_ddr.disagree": {"fr": "les sources divergent", "en": "sources disagree"},
    "wq_ddr.col.agreement": {"fr": "accord", "en": "agreement"},
    "wq_ddr.col.figure": {"fr": "chiffre", "en": "figure"},
    "wq_ddr.col.period": {"fr": "période", "en": "period"},
    "wq_ddr.conflicts_note": {
        "fr": "Chiffres publiés par plusieurs sources pour le même indicateur à la même période (ou à des dates "
              "de moins d'un mois qui se chevauchent). Aucun n'est écarté ; la série évaluée garde une valeur par "
              "date : une source primaire d'abord, puis la source qui publie le plus de chiffres, puis l'identifiant.",
        "en": "Figures published by several sources for the same indicator and period (or for overlapping dates "
              "less than a month long). None is discarded; the series assessed keeps one value per date: a "
              "primary source first, then the source with most figures, then the identifier."},
    "wq_ddr.conflicts_none": {"fr": "Aucune période n'est couverte par plusieurs sources à cette date.",
                              "en": "No period is covered by several sources at this date."},
    "wq_ddr.no_figure": {"fr": "Aucun chiffre publié n'a été trouvé pour « {name} » à cette date : il reste "
                               "absent.",
                         "en": "No published figure was found for \u201c{name}\u201d at this date: it stays missing."},
    # Women's representation (notebooks/women_quota.ipynb)
    "wq.title": {"fr": "Représentation des femmes et quota de la loi 2015-052",
                 "en": "Women's representation and the quota of law 2015-052"},
    "wq.intro": {
        "fr": "Part des femmes dans chaque instance au {date}, comparée au quota minimum de {quota} de la loi "
              "n° 2015-052, que la feuille de route S/2021/300 rappelle (§ 3 et § 17 d)). Chaque chiffre vient "
              "d'une source citée ; les écarts et les années projetées sont des calculs sur ces chiffres.",
        "en": "Women's share in each body on {date}, against the minimum quota of {quota} of law 2015-052, which "
              "the roadmap S/2021/300 recalls (paras. 3 and 17 (d)). Every figure comes from a cited source; the "
              "gaps and the projected years are arithmetic on those figures."},
    "wq.body.parliament": {"fr": "Parlement (Assemblée nationale, puis CNT)",
                           "en": "Parliament (National Assembly, then CNT)"},
    "wq.body.cabinet": {"fr": "Gouvernement", "en": "Cabinet"},
    "wq.body.csa": {"fr": "Comité de suivi de l'Accord (CSA)", "en": "Agreement Monitoring Committee (CSA)"},
    "wq.body.constitution_commission": {"fr": "Commission de finalisation du projet de constitution",
                                        "en": "Commission finalising the draft constitution"},
    "wq.body.candidates": {"fr": "Candidats aux législatives", "en": "Candidates in legislative elections"},
    "wq.quota_value": {"fr": "quota {value} (loi 2015-052)", "en": "quota {value} (law 2015-052)"},
    "wq.no_target": {"fr": "aucune (quota de la loi pris pour repère)", "en": "none (the law's quota as reference)"},
    "wq.no_target_note": {
        "fr": "La feuille de route ne fixe pas de cible pour cette instance : le graphique ne trace pas de cible ; "
              "les tableaux la comparent au quota de la loi, pris pour repère.",
        "en": "The roadmap sets no target for this body: the chart draws none; the tables compare it with the "
              "law's quota, taken as a reference."},
    "wq.counts_from": {"fr": "effectifs :", "en": "counts:"},
    "wq.by_deadline": {"fr": "{share} (dernier chiffre à l'échéance ; ensuite : {later})",
                       "en": "{share} (the last figure by the deadline; since: {later})"},
    "wq.reached": {"fr": "quota atteint", "en": "quota reached"},
    "wq.points": {"fr": "{value} points", "en": "{value} points"},
    "wq.seats_needed": {"fr": "{needed} sur {seats} ({exact} avant arrondi)",
                        "en": "{needed} of {seats} ({exact} before rounding)"},
    "wq.women_to_add": {"fr": "{count} de plus ({shortfall} avant arrondi)",
                        "en": "{count} more ({shortfall} before rounding)"},
    "wq.window.baseline": {"fr": "depuis la référence : {start} → {latest}",
                           "en": "since the baseline: {start} → {latest}"},
    "wq.window.series": {"fr": "toute la série : {start} → {latest}", "en": "whole series: {start} → {latest}"},
    "wq.window.baseline_is_latest": {"fr": "depuis la référence, qui est le dernier chiffre : {start}",
                                     "en": "since the baseline, which is the latest figure: {start}"},
    "wq.window.single": {"fr": "un seul chiffre : {start}", "en": "a single figure: {start}"},
    "wq.col.body": {"fr": "instance", "en": "body"},
    "wq.col.share": {"fr": "part des femmes (femmes/sièges), date", "en": "women's share (women/seats), date"},
    "wq.col.roadmap_target": {"fr": "cible de la feuille de route", "en": "roadmap target"},
    "wq.col.gap_points": {"fr": "écart au quota", "en": "gap to the quota"},
    "wq.col.seats_needed": {"fr": "sièges de femmes requis", "en": "women's seats needed"},
    "wq.col.women_to_add": {"fr": "femmes manquantes", "en": "women missing"},
    "wq.col.window": {"fr": "rythme mesuré", "en": "pace measured"},
    "wq.col.linear": {"fr": "rythme linéaire", "en": "linear pace"},
    "wq.col.compound": {"fr": "rythme composé", "en": "compound pace"},
    "wq.axis.share": {"fr": "part des femmes (%)", "en": "women's share (%)"},
    "wq.gap_note": {
        "fr": "Dernier chiffre de la série évaluée de chaque instance. Calculs : écart = {quota} − part observée ; "
              "sièges requis = {quota} des sièges, arrondi au siège supérieur ; femmes manquantes = sièges requis "
              "− femmes, à effectif constant. Le nombre de sièges n'est utilisé que là où une source écrit le "
              "chiffre « femmes/sièges » ; ailleurs l'écart en sièges est non disponible, jamais estimé.",
        "en": "Latest figure of each body's series assessed. Arithmetic: gap = {quota} − observed share; seats "
              "needed = {quota} of the seats, rounded up to a whole seat; women missing = seats needed − women, "
              "at the body's size. Seat counts are used only where a source writes the figure as "
              "\u201cwomen/seats\u201d; elsewhere the seat gap is not available, never estimated."},
    "wq.projection_note": {
        "fr": "Calcul, pas une prévision : le rythme entre deux chiffres de la série évaluée (le chiffre connu à "
              "la date de la feuille de route, ou le premier, et le dernier) est prolongé jusqu'au quota de "
              "{quota}. Linéaire : le même nombre de points chaque année ; composé : le même taux de croissance "
              "chaque année. Un rythme nul ou négatif n'atteint jamais le quota.",
        "en": "Arithmetic, not a forecast: the pace between two figures of the series assessed (the figure known "
              "on the roadmap's date, or the first one, and the latest) is prolonged until the quota of {quota}. "
              "Linear: the same number of points every year; compound: the same growth rate every year. A flat "
              "or falling pace never reaches the quota."},
    # DDR (notebooks/ddr.ipynb)
    "ddr.title": {"fr": "Intégration des ex-combattants aux forces de défense et de sécurité maliennes",
                  "en": "Integration of ex-combatants into the Malian defence and security forces"},
    "ddr.intro": {
        "fr": "Où en est, au {date}, l'intégration des membres des groupes armés signataires par rapport à la "
              "cible de {target} de la feuille de route ? Contingents et cumul cités, étapes du processus, "
              "engagement du Gouvernement et rythme observé.",
        "en": "Where does the integration of members of the signatory armed groups stand on {date} against the "
              "roadmap's target of {target}? Cohorts and running total as cited, the stages of the process, the "
              "Government's commitment and the observed pace."},
    "ddr.target": {"fr": "cible de la feuille de route", "en": "roadmap target"},
    "ddr.share_of_target": {"fr": "part de la cible atteinte", "en": "share of the target reached"},
    "ddr.published_total": {"fr": "dernier cumul publié", "en": "latest published running total"},
    "ddr.counted": {"fr": "intégrés depuis le {since} (comptent pour la cible)",
                    "en": "integrated since {since} (counted towards the target)"},
    "ddr.remaining": {"fr": "reste à intégrer", "en": "still to integrate"},
    "ddr.arithmetic": {"fr": "calcul : {formula}", "en": "arithmetic: {formula}"},
    "ddr.pace_formula": {"fr": "de {start} à {latest}, soit {pace}", "en": "from {start} to {latest}, i.e. {pace}"},
    "ddr.projected": {"fr": "{target} atteint au rythme linéaire observé",
                      "en": "{target} reached at the observed linear pace"},
    "ddr.commitment": {"fr": "engagement d'intégration (pas la cible de la feuille de route)",
                       "en": "integration commitment (not the roadmap's target)"},
    "ddr.commitment_label": {"fr": "engagement : {value} à intégrer ({date})",
                             "en": "commitment: {value} to integrate ({date})"},
    "ddr.commitment_note": {
        "fr": "Un engagement est un nombre à intégrer, pas une réalisation (sa note dit dans quels services et "
              "pour quels groupes) : le graphique le marque à sa date, sans changer l'échelle.",
        "en": "A commitment is a number to integrate, not an achievement (its note says into which services "
              "and for which groups): the chart marks it at its date, without changing the scale."},
    "ddr.chart_note": {
        "fr": "Barres : chaque contingent cité ; ligne : le cumul ; pointillés : le rythme observé prolongé "
              "jusqu'à la cible (calcul, pas une prévision).",
        "en": "Bars: each cohort cited; line: the running total; dotted: the observed pace prolonged to the "
              "target (arithmetic, not a forecast)."},
    "ddr.series.cohort": {"fr": "contingent", "en": "cohort"},
    "ddr.series.cumulative": {"fr": "cumul", "en": "running total"},
    "ddr.series.projection": {"fr": "rythme observé prolongé (calcul)", "en": "observed pace prolonged (arithmetic)"},
    "ddr.col.series": {"fr": "série", "en": "series"},
    "ddr.col.stage": {"fr": "étape", "en": "stage"},
    "ddr.col.latest": {"fr": "dernier chiffre", "en": "latest figure"},
    "ddr.col.every_figure": {"fr": "tous les chiffres cités", "en": "every figure cited"},
    "ddr.col.origin": {"fr": "source ou calcul", "en": "source or arithmetic"},
    "ddr.check_ok": {"fr": "Chaque cumul publié est la somme des contingents cités jusqu'à sa date ({dates}).",
                     "en": "Each published running total is the sum of the cohorts cited up to its date ({dates})."},
    "ddr.check_mismatch": {
        "fr": "Au {date}, le cumul publié ({published}) diffère de la somme des {count} contingents cités "
              "({cohorts}).",
        "en": "On {date}, the published running total ({published}) differs from the sum of the {count} cohorts "
              "cited ({cohorts})."},
    "ddr.check_none": {"fr": "Aucun cumul publié à cette date.", "en": "No running total published at this date."},
    "ddr.funnel_note": {
        "fr": "Dernier chiffre connu de chaque étape à la date du rapport. Les étapes viennent de dates et de "
              "sources différentes et ne se déduisent pas l'une de l'autre ; une étape sans chiffre cité reste "
              "vide, jamais estimée.",
        "en": "Latest figure known for each stage at the report's date. The stages come from different dates and "
              "sources and are not derived from one another; a stage without a cited figure stays empty, never "
              "estimated."},
    "ddr.stage.registered": {"fr": "enregistrés (CN-DDR)", "en": "registered (CN-DDR)"},
    "ddr.stage.listed": {"fr": "inscrits sur les listes DDR", "en": "on the DDR lists"},
    "ddr.stage.integration_list": {"fr": "sur la liste d'intégration (DDR accéléré)",
                                   "en": "on the integration list (accelerated DDR)"},
    "ddr.stage.trained": {"fr": "formés", "en": "trained"},
    "ddr.stage.integrated": {"fr": "intégrés (cumul)", "en": "integrated (running total)"},
    "ddr.stage_missing": {"fr": "aucun chiffre cité", "en": "no figure cited"},
    # --- poverty, WASH, roadmap figures, maps (thematic) ---
    # Maps (pipelines.present.maps)
    "map.caption": {"fr": "Dernier chiffre par région, situation au {date} ; limites : {geography}.",
                    "en": "Latest figure per region as of {date}; boundaries: {geography}."},
    "map.caption_latest": {"fr": "Dernier chiffre connu par région ; limites : {geography}.",
                           "en": "Latest figure known per region; boundaries: {geography}."},
    "map.dates_differ": {"fr": "Les dates des chiffres diffèrent d'une région à l'autre (voir le tableau).",
                         "en": "The figures' dates differ from region to region (see the table)."},
    "map.not_drawn": {"fr": "{region} ({code}) : {value} ({date}), non représentée : sur cette carte, elle fait "
                            "partie de {container} ({container_code}).",
                      "en": "{region} ({code}): {value} ({date}), not drawn: on this map it lies within {container} "
                            "({container_code})."},
    "map.not_drawn_nowhere": {"fr": "{region} ({code}) : {value} ({date}), non représentée : aucune unité de cette "
                                    "carte ne la contient.",
                              "en": "{region} ({code}): {value} ({date}), not drawn: no unit of this map holds it."},
    "map.no_figure": {"fr": "aucun chiffre", "en": "no figure"},
    # The roadmap's figures against the data (pipelines.analysis.claims)
    "claims.match": {"fr": "{value} ({period}, {source} ; écart {gap})", "en": "{value} ({period}, {source}; gap {gap})"},
    "claims.points": {"fr": "pt", "en": "pt"},
    "claims.kind.figure": {"fr": "constat", "en": "statement of fact"},
    "claims.kind.target": {"fr": "cible ou quota", "en": "target or quota"},
    "claims.verdict.figure.reproduced": {"fr": "reproduit", "en": "reproduced"},
    "claims.verdict.figure.reproduced_older": {"fr": "reproduit par un chiffre plus ancien seulement",
                                               "en": "reproduced by an older figure only"},
    "claims.verdict.figure.not_reproduced": {"fr": "non reproduit", "en": "not reproduced"},
    "claims.verdict.figure.no_data_before": {"fr": "pas encore mesuré à la date de la feuille de route",
                                             "en": "not yet measured on the roadmap's date"},
    "claims.verdict.figure.no_data": {"fr": "aucune donnée", "en": "no data"},
    "claims.verdict.target.reproduced": {"fr": "atteint à la date de la feuille de route",
                                         "en": "met on the roadmap's date"},
    "claims.verdict.target.reproduced_older": {"fr": "atteint par un chiffre plus ancien seulement",
                                               "en": "met by an older figure only"},
    "claims.verdict.target.not_reproduced": {"fr": "non atteint à la date de la feuille de route",
                                             "en": "not met on the roadmap's date"},
    "claims.verdict.target.no_data_before": {"fr": "pas encore mesuré à la date de la feuille de route",
                                             "en": "not yet measured on the roadmap's date"},
    "claims.verdict.target.no_data": {"fr": "aucune donnée", "en": "no data"},
    "claims.role.newest": {"fr": "plus récent au {date}", "en": "newest on {date}"},
    "claims.role.best_before": {"fr": "meilleur jusqu'au {date}", "en": "best match up to {date}"},
    "claims.role.best_any": {"fr": "meilleur, toutes dates", "en": "best match, any date"},
    "claims.fits": {"fr": "conforme", "en": "fits"},
    "claims.does_not_fit": {"fr": "non conforme", "en": "does not fit"},
    "claims.axis_ratio": {"fr": "chiffre publié ÷ chiffre de la feuille de route (calcul ; 1 = égal)",
                          "en": "published figure ÷ roadmap figure (arithmetic; 1 = equal)"},
    "claims.claim": {"fr": "chiffre de la feuille de route", "en": "roadmap figure"},
    "claims.figure_role": {"fr": "chiffre comparé", "en": "figure compared"},
    "claims.gap": {"fr": "écart (calcul)", "en": "gap (arithmetic)"},
    "claims.ratio": {"fr": "rapport (calcul)", "en": "ratio (arithmetic)"},
    "claims.fit": {"fr": "conformité", "en": "fit"},
    "claims.verdict": {"fr": "verdict", "en": "verdict"},
    "claims.chart_title": {"fr": "Chiffres de la feuille de route et chiffres publiés les plus proches",
                           "en": "The roadmap's figures and the closest published figures"},
    # Report: the roadmap's figures (notebooks/roadmap_figures.ipynb)
    "rf.title": {"fr": "Les chiffres de la feuille de route S/2021/300 face aux données",
                 "en": "The figures of roadmap S/2021/300 against the data"},
    "rf.intro": {
        "fr": "Chaque chiffre que la feuille de route du {roadmap_date} cite ou fixe est comparé aux séries publiées "
              "connues au {date} : est-il reproduit, par quelle année et quelle édition (source) de quelle série, "
              "et avec quel écart ?",
        "en": "Every figure the roadmap of {roadmap_date} quotes or sets is compared with the published series "
              "known on {date}: is it reproduced, by which year and which release (source) of which series, and "
              "how far off?"},
    "rf.rule.qualifier": {
        "fr": "« = » : le chiffre publié, arrondi à la précision écrite par la feuille de route, est égal (78 % "
              "couvre 77,5 à 78,5 %) ; « > » : strictement supérieur ; « ≥ » : au moins ; « ≈ » (« quelque ») : "
              "à ±{tolerance} près.",
        "en": "'=': the published figure, rounded to the precision the roadmap wrote, is equal (78% covers 77.5 "
              "to 78.5%); '>': strictly above; '≥': at least; '≈' ('some'): within ±{tolerance}."},
    "rf.rule.target": {
        "fr": "Une cible ou un quota (le chiffre de la feuille de route est aussi la cible de l'indicateur) est "
              "atteint quand un chiffre le passe dans le sens du progrès.",
        "en": "A target or quota (the roadmap's figure is also the indicator's target) is met when a figure "
              "passes it in the direction of progress."},
    "rf.rule.dates": {
        "fr": "Chiffres nationaux seulement. Un chiffre compte à la fin de sa période : un chiffre annuel de 2020 "
              "est connu à la date de la feuille de route ({roadmap_date}), un chiffre de 2021 ne l'est pas.",
        "en": "National figures only. A figure counts from the end of its period: a yearly figure for 2020 is "
              "known on the roadmap's date ({roadmap_date}), one for 2021 is not."},
    "rf.rule.verdict": {
        "fr": "Verdict : reproduit si le chiffre le plus récent à cette date est conforme ; « par un chiffre plus "
              "ancien seulement » si seul le dernier chiffre d'une autre édition (source) l'est. Une année ancienne "
              "d'une série (par exemple 2011) peut être la meilleure correspondance sans reproduire un constat "
              "sur le présent.",
        "en": "Verdict: reproduced when the newest figure on that date fits; 'by an older figure only' when only "
              "another release's (source's) own latest figure fits. An old year of a series (e.g. 2011) can be "
              "the best match without reproducing a statement about the present."},
    "rf.rule.best": {
        "fr": "Meilleure correspondance : le chiffre conforme le plus proche, sinon le plus proche ; à égalité, le "
              "plus récent. Écart = chiffre publié − chiffre de la feuille de route, en points de pourcentage pour "
              "les parts ; rapport = chiffre publié ÷ chiffre de la feuille de route (calculs).",
        "en": "Best match: the closest figure that fits, else the closest; on a tie, the newest. Gap = published "
              "figure − roadmap figure, in percentage points for shares; ratio = published figure ÷ roadmap "
              "figure (arithmetic)."},
    "rf.rule.missing": {"fr": "« Aucune donnée » : aucune série publiée n'a été trouvée ; rien n'est estimé.",
                        "en": "'No data': no published series was found; nothing is estimated."},
    "rf.summary.figure": {"fr": "Constats ({count}) : {detail}.", "en": "Statements of fact ({count}): {detail}."},
    "rf.summary.target": {"fr": "Cibles et quotas ({count}) : {detail}.", "en": "Targets and quotas ({count}): {detail}."},
    "rf.quote": {"fr": "« {quote} »", "en": "\u201c{quote}\u201d (French text)"},
    "rf.col.claim": {"fr": "chiffre de la feuille de route", "en": "roadmap figure"},
    "rf.col.newest": {"fr": "chiffre le plus récent au {date}", "en": "newest figure on {date}"},
    "rf.col.best_before": {"fr": "meilleure correspondance jusqu'au {date}", "en": "best match up to {date}"},
    "rf.col.best_any": {"fr": "meilleure correspondance, toutes dates jusqu'au {date}",
                        "en": "best match, any date up to {date}"},
    "rf.chart_note": {
        "fr": "Chaque point rapporte un chiffre publié au chiffre de la feuille de route (1 = égal ; calcul). "
              "Forme : quel chiffre ; couleur : conforme ou non à la formulation de la feuille de route.",
        "en": "Each point is a published figure divided by the roadmap's figure (1 = equal; arithmetic). Shape: "
              "which figure; colour: whether it fits the roadmap's wording."},
    "rf.related_heading": {"fr": "Mesures voisines", "en": "Related measures"},
    "rf.related_note": {
        "fr": "Séries voisines (autre champ, mesure plus stricte, ou complément 100 − x calculé ici), montrées pour "
              "éclairer un chiffre : meilleure correspondance de chaque source jusqu'à la date de la feuille de "
              "route. Elles ne décident pas du verdict.",
        "en": "Nearby series (another scope, a stricter measure, or a complement 100 − x computed here), shown to "
              "explain a figure: each source's best match up to the roadmap's date. They do not decide the "
              "verdict."},
    "rf.col.related": {"fr": "série voisine", "en": "related series"},
    "rf.gap": {"fr": "écart", "en": "gap"},
    "rf.complement": {"fr": "100 − {name} (calcul)", "en": "100 − {name} (arithmetic)"},
    # Report: poverty, water and sanitation (notebooks/poverty_wash.ipynb)
    "pw.title": {"fr": "Pauvreté, eau et assainissement au Mali", "en": "Poverty, water and sanitation in Mali"},
    "pw.intro": {
        "fr": "Pauvreté multidimensionnelle (nationale, rurale, urbaine), extrême pauvreté et pauvreté au seuil "
              "national ; accès à l'eau potable et à l'assainissement de base (OMS/UNICEF, JMP) ; part de la "
              "population rurale : les thèmes des § 44 et 45 de la feuille de route, tels que chaque source les "
              "publie, situation au {date}.",
        "en": "Multidimensional poverty (national, rural, urban), extreme poverty and poverty at the national "
              "line; basic drinking water and sanitation (WHO/UNICEF JMP); the rural share of the population: the "
              "subjects of paras. 44 and 45 of the roadmap, as each source publishes them, as of {date}."},
    "pw.vintages": {
        "fr": "Deux éditions d'une même série (par exemple JMP 2021 et JMP 2025) sont deux sources : leurs chiffres "
              "diffèrent pour les mêmes années et sont tracés séparément, jamais raccordés. Les chiffres cités par "
              "la feuille de route sont confrontés aux données dans le rapport « {other} ».",
        "en": "Two releases of one series (e.g. JMP 2021 and JMP 2025) are two sources: their figures differ for "
              "the same years and are drawn apart, never joined. The figures the roadmap quotes are checked "
              "against the data in the report \u201c{other}\u201d."},
    "pw.scope": {"fr": "Indicateurs : {set} ; champ : {scope}.", "en": "Indicators: {set}; scope: {scope}."},
    "pw.scope_national": {"fr": "Mali, ensemble du pays", "en": "Mali, whole country"},
    "pw.set.all": {"fr": "tous", "en": "all"},
    "pw.set.poverty": {"fr": "pauvreté", "en": "poverty"},
    "pw.set.wash": {"fr": "eau et assainissement", "en": "water and sanitation"},
    "pw.set.rural": {"fr": "milieu rural", "en": "rural areas"},
    "pw.group.poverty_multidimensional": {"fr": "Pauvreté multidimensionnelle", "en": "Multidimensional poverty"},
    "pw.group.poverty_monetary": {"fr": "Pauvreté monétaire", "en": "Monetary poverty"},
    "pw.group.water": {"fr": "Eau potable", "en": "Drinking water"},
    "pw.group.sanitation": {"fr": "Assainissement", "en": "Sanitation"},
    "pw.group.population": {"fr": "Population et milieu rural", "en": "Population and rural share"},
    "pw.latest_note": {
        "fr": "Une ligne par indicateur et par source (édition) : le dernier chiffre publié jusqu'au {date} et "
              "l'étendue de la série. Aucun chiffre n'est calculé ici.",
        "en": "One row per indicator and source (release): the latest figure published up to {date} and the "
              "span of the series. No figure is computed here."},
    "pw.col.series": {"fr": "étendue de la série", "en": "series span"},
    "pw.span": {"fr": "{first}–{last} ({count} chiffres)", "en": "{first}–{last} ({count} figures)"},
    "pw.span_one": {"fr": "{first} (1 chiffre)", "en": "{first} (1 figure)"},
    "pw.chart_sources": {"fr": "Source(s) : {sources} (voir le tableau des sources)",
                         "en": "Source(s): {sources} (see the sources table)"},
    "pw.no_data_scope": {"fr": "Aucun chiffre pour {scope} parmi les indicateurs choisis : rien n'est tracé, rien "
                               "n'est estimé.",
                         "en": "No figure for {scope} among the selected indicators: nothing is drawn, nothing is "
                               "estimated."},
    "pw.no_regional": {"fr": "Aucun des indicateurs choisis n'est publié par région dans les données : pas de carte.",
                       "en": "None of the selected indicators is published by region in the data: no map."},
    "pw.no_boundaries": {
        "fr": "Aucun fichier de limites n'est configuré (data/raw/boundaries.yaml) : chiffres par région en "
              "tableau, sans carte.",
        "en": "No boundary file is configured (data/raw/boundaries.yaml): regional figures as a table, without "
              "a map."},
}


def _check_lang(lang: str) -> None:
    if lang not in LANGS:
        raise TranslationError(f"unknown language {lang!r}: reports are in 'fr' or 'en'")


def t(key: str, lang: str, **values: Any) -> str:
    """The text of ``key`` in ``lang``, with ``{name}`` fields filled from ``values``."""
    _check_lang(lang)
    if key not in STRINGS:
        close = difflib.get_close_matches(key, STRINGS, n=3)
        hint = f"; did you mean {', '.join(close)}?" if close else ""
        raise TranslationError(f"no translation for key {key!r}: add it to pipelines.core.i18n.STRINGS{hint}")
    text = STRINGS[key][lang]
    return text.format(**values) if values else text


def _with_digits(pattern: str, digits: int) -> str:
    """A CLDR number pattern (e.g. ``#,##0 %``) with exactly ``digits`` decimals."""
    decimals = "." + "0" * digits if digits else ""
    integer = "#,##0"
    start = pattern.index(integer)
    end = start + len(integer)
    while end < len(pattern) and pattern[end] in ".0#":
        end += 1
    return pattern[:start] + integer + decimals + pattern[end:]


def _locale(lang: str) -> Locale:
    _check_lang(lang)
    return Locale.parse(BABEL_LOCALES[lang])


def fmt_number(value: float, lang: str, digits: int = 1) -> str:
    """A number with ``digits`` decimals: ``27,9`` / ``27.9``, grouped by thousands."""
    locale = _locale(lang)
    return format_decimal(value, _with_digits(locale.decimal_formats[None].pattern, digits), locale)


def fmt_percent(value_in_percent: float, lang: str, digits: int = 1) -> str:
    """A share stored in percent (0-100): ``27,9 %`` / ``27.9%``."""
    locale = _locale(lang)
    return format_percent(value_in_percent / 100, _with_digits(locale.percent_formats[None].pattern, digits), locale)


def fmt_count(value: float, lang: str) -> str:
    """A whole number: ``1 006`` / ``1,006``."""
    return fmt_number(value, lang, digits=0)


def describe_score(score: float | None, basis: str | None, points: int | None, max_points: int | None,
                   lang: str) -> str:
    """What a benchmark's score counts, in words: "8 of 9 milestone points" (milestones on the
    0-3 scale) or "42 % of the way to the target" (an indicator), never a bare ratio."""
    if score is None:
        return "—"
    if basis == "milestones" and max_points:
        return t("score_text.milestones", lang, points=points, max=max_points)
    return t("score_text.indicator", lang, share=fmt_percent(100 * score, lang, 0))


def fmt_value(value: float, unit: str, lang: str) -> str:
    """A value as its unit is read: percent with one decimal, counts whole, others (ratios,
    billions of FCFA) with two decimals: "38,450 milliards" must not read 38.4 nor 38.5."""
    if unit == "percent":
        return fmt_percent(value, lang)
    if unit in ("count", "persons", "households"):
        return fmt_count(value, lang)
    return fmt_number(value, lang, digits=2)


def period_precision(start: date, end: date | None) -> Precision:
    """How a period reads: a whole calendar year as "2019", a whole month as "June 2021"."""
    if start.day != 1 or end is None:
        return "day"
    if start.month == 1 and end == date(start.year, 12, 31):
        return "year"
    month_end = (start.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
    return "month" if end == month_end else "day"


def fmt_period(start: date, end: date | None, lang: str) -> str:
    """A figure's period as it reads best: "2020", "septembre 2019", "18 June 2023", or, for
    a span of days, both ends ("4 October 2021 – 2 November 2021"): a session's result is
    not a figure of its first day."""
    precision = period_precision(start, end)
    if precision == "day" and end is not None and end != start:
        return f"{fmt_date(start, lang)} – {fmt_date(end, lang)}"
    return fmt_date(start, lang, precision)


def fmt_date(day: date, lang: str, precision: Precision = "day") -> str:
    """A date in words: ``18 juin 2023`` / ``18 June 2023``; ``juin 2023`` or ``2023`` when
    the figure is monthly or yearly, so that no reader takes a period's start for an event."""
    return format_date(day, DATE_PATTERNS[precision], locale=_locale(lang))


#: d3-format and d3-time-format locales for Vega (config.locale), as data. The French
#: separators are babel's (narrow no-break space between thousands, no-break space before
#: %), so that axis labels match the numbers in the text and tooltips.
_VEGA_LOCALES: dict[str, dict[str, Any]] = {
    "fr": {
        "number": {
            "decimal": ",",
            "thousands": "\u202f",
            "grouping": [3],
            "currency": ["", "\u00a0€"],
            "percent": "\u00a0%",
        },
        "time": {
            "dateTime": "%A %e %B %Y à %X",
            "date": "%d/%m/%Y",
            "time": "%H:%M:%S",
            "periods": ["AM", "PM"],
            "days": ["dimanche", "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi"],
            "shortDays": ["dim.", "lun.", "mar.", "mer.", "jeu.", "ven.", "sam."],
            "months": ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
                       "septembre", "octobre", "novembre", "décembre"],
            "shortMonths": ["janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août",
                            "sept.", "oct.", "nov.", "déc."],
        },
    },
    "en": {
        "number": {
            "decimal": ".",
            "thousands": ",",
            "grouping": [3],
            "currency": ["$", ""],
        },
        "time": {
            "dateTime": "%x, %X",
            "date": "%-m/%-d/%Y",
            "time": "%-I:%M:%S %p",
            "periods": ["AM", "PM"],
            "days": ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"],
            "shortDays": ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"],
            "months": ["January", "February", "March", "April", "May", "June", "July", "August",
                       "September", "October", "November", "December"],
            "shortMonths": ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct",
                            "Nov", "Dec"],
        },
    },
}


def vega_locale(lang: str) -> dict[str, Any]:
    """Vega-Lite's ``config.locale`` for the language (fr-FR or en-US): a fresh copy, so a
    chart that edits its config cannot change another's."""
    _check_lang(lang)
    return copy.deepcopy(_VEGA_LOCALES[lang])
