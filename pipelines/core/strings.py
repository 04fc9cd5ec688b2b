"""The strings of every report's common parts, French and English: statuses and why each is
what it is, tables, panels, axes, charts, the history and "Since" sections.

Half of the one table `pipelines.core.i18n.STRINGS` (the other half, the thematic reports', is
`pipelines.core.thematic_strings`): a module apart from the functions that fill and format
them, so that a translator reads strings only, and each half stays a page one can review.
"""

from pipelines.core.statuses import VOCABULARY

REPORT_STRINGS: dict[str, dict[str, str]] = {
    # Statuses: generated from their one home, pipelines.core.statuses
    **{f"status.{s.id}": {"fr": s.label_fr, "en": s.label_en} for s in VOCABULARY},
    **{f"status_meaning.{s.id}": {"fr": s.meaning_fr, "en": s.meaning_en} for s in VOCABULARY},
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
    "reason.figure_too_old": {"fr": "dernier chiffre trop ancien pour juger d'un rythme",
                              "en": "latest figure too old to judge a pace"},
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
    # Reviews (pipelines.analysis.reviews) and confidence (pipelines.analysis.confidence)
    "rubric": {"fr": "ce que vaut chaque niveau :", "en": "what each level means:"},
    "review.heading": {"fr": "Statut revu", "en": "Reviewed status"},
    "review.by": {"fr": "{reviewer}, le {date}", "en": "{reviewer}, {date}"},
    "review.agreed": {"fr": "Revu ({who}) : d'accord avec le statut calculé, {status}. Motifs : {reasons}",
                      "en": "Reviewed ({who}): agrees with the computed status, {status}. Reasons: {reasons}"},
    "review.changed": {"fr": "Revu ({who}) : {status} au lieu du statut calculé, {seen}. Motifs : {reasons}",
                       "en": "Reviewed ({who}): {status} instead of the computed status, {seen}. Reasons: {reasons}"},
    "review.stale": {"fr": "À revoir : la revue ({who}) portait sur le statut calculé « {seen} », qui est "
                           "désormais « {now} » ; elle n'est pas appliquée. Motifs d'alors : {reasons}",
                     "en": "To be reviewed again: the review ({who}) was of the computed status '{seen}', which is "
                           "now '{now}'; it is not applied. Its reasons: {reasons}"},
    "review.sources": {"fr": "Sources de la revue : {sources}", "en": "Review sources: {sources}"},
    "review.mark": {"fr": "revu", "en": "reviewed"},
    "review.mark_stale": {"fr": "à revoir", "en": "to be reviewed again"},
    "trust.line": {"fr": "Confiance : {grade} ({reasons})", "en": "Confidence: {grade} ({reasons})"},
    "trust.grade.high": {"fr": "élevée", "en": "high"},
    "trust.grade.medium": {"fr": "moyenne", "en": "medium"},
    "trust.grade.low": {"fr": "faible", "en": "low"},
    "trust.nothing": {"fr": "aucun chiffre ni événement ne décide du statut",
                           "en": "no figure or event decides the status"},
    "trust.none_met": {"fr": "aucun critère ne l'abaisse : éléments surtout primaires et datés, récents, "
                                  "sans désaccord, de plusieurs sources",
                            "en": "no criterion lowers it: mostly primary, dated, recent evidence, no disagreement, "
                                  "more than one source"},
    "trust.secondary": {"fr": "source secondaire ou chiffre dérivé", "en": "a secondary source or a derived figure"},
    "trust.old": {"fr": "élément décisif de plus de deux ans", "en": "deciding evidence over two years old"},
    "trust.conflicting": {"fr": "des sources en désaccord pour la même date",
                               "en": "sources that disagree for the same date"},
    "trust.undated": {"fr": "date déduite ou source datée par une règle",
                           "en": "a date inferred, or a source dated by a rule"},
    "trust.single_source": {"fr": "une seule source", "en": "a single source"},
    "headline_figures": {"fr": "Chiffres clés", "en": "Headline figures"},
    "indicator": {"fr": "indicateur", "en": "indicator"},
    "milestones": {"fr": "Jalons", "en": "Milestones"},
    "no_milestones": {"fr": "La feuille de route ne fixe pas de jalon pour cet objectif : son statut suit ses "
                            "indicateurs.",
                      "en": "The roadmap sets no milestone for this benchmark: its status follows its indicators."},
    # The glossary (pipelines/present/glossary.py): each term once, in plain words
    "glossary.title": {"fr": "Glossaire", "en": "Glossary"},
    "glossary.statuses": {"fr": "Les statuts", "en": "The statuses"},
    "glossary.terms": {"fr": "Les termes des rapports", "en": "The reports' terms"},
    "glossary.term": {"fr": "terme", "en": "term"},
    "glossary.means": {"fr": "ce que cela veut dire", "en": "what it means"},
    "glossary.benchmark": {"fr": 'objectif de référence', "en": 'benchmark'},
    "glossary.benchmark.text": {"fr": 'Une condition que la feuille de route fixe pour la fin de la mission (critère A, B… ou numéroté) ; son statut est celui de son élément le moins avancé.',
                         "en": "A condition the roadmap sets for the mission's end (benchmark A, B… or numbered); its status is that of its least advanced part."},
    "glossary.target": {"fr": 'cible', "en": 'target'},
    "glossary.target.text": {"fr": "Le chiffre que la feuille de route demande d'atteindre (30 % de femmes, 2 000 ex-combattants intégrés).",
                         "en": 'The figure the roadmap asks to reach (30 % women, 2,000 ex-combatants integrated).'},
    "glossary.deadline": {"fr": 'échéance', "en": 'deadline'},
    "glossary.deadline.text": {"fr": "La date à laquelle la cible doit être atteinte ; passé ce jour, le statut dit « atteint » ou « non atteint à l'échéance », d'après le dernier chiffre daté d'avant elle.",
                         "en": 'The date by which the target is to be met; after it, the status says "achieved" or "not achieved by the deadline", from the last figure dated by it.'},
    "glossary.baseline": {"fr": 'référence', "en": 'baseline'},
    "glossary.baseline.text": {"fr": 'Le point de départ du calcul : le chiffre connu à la date de la feuille de route, sauf si son fichier en déclare un autre.',
                         "en": "Where the arithmetic starts: the figure known on the roadmap's date, unless its file declares another."},
    "glossary.counted": {"fr": 'compté depuis', "en": 'counted since'},
    "glossary.counted.text": {"fr": "Quand la règle ne compte que ce qui s'ajoute après une date (les 2 000 « en outre » du § 10), chaque total publié moins celui de cette date.",
                         "en": 'When the rule counts only what is added after a date (the 2,000 "in addition" of para. 10), each published total minus the one of that date.'},
    "glossary.share_of_way": {"fr": 'part du chemin', "en": 'share of the way'},
    "glossary.share_of_way.text": {"fr": 'La part de la distance entre la référence et la cible déjà parcourue : 0 % au départ, 100 % à la cible, négative en cas de recul.',
                         "en": 'How much of the distance from the baseline to the target has been covered: 0 % at the start, 100 % at the target, negative when things went back.'},
    "glossary.pace": {"fr": 'rythme', "en": 'pace'},
    "glossary.pace.text": {"fr": "Avant l'échéance, le rythme observé depuis la référence rapporté à celui qu'il faudrait pour atteindre la cible à temps ; il n'est jugé que sur un recul suffisant et un chiffre récent.",
                         "en": 'Before the deadline, the pace observed since the baseline set against the pace needed to meet the target on time; judged only over a long enough span and on a recent figure.'},
    "glossary.milestone": {"fr": 'jalon', "en": 'milestone'},
    "glossary.milestone.text": {"fr": "Une étape qu'un texte ou un événement franchit (une loi adoptée, des élections tenues), datée et sourcée.",
                         "en": 'A step that a text or an event takes (a law adopted, elections held), dated and sourced.'},
    "glossary.milestone_levels": {"fr": "niveaux d'un jalon", "en": 'milestone levels'},
    "glossary.milestone_levels.text": {"fr": "Non engagé, minimal, intermédiaire, complet, ou en recul : l'échelle du Peace Accords Matrix (université de Notre-Dame) pour suivre la mise en œuvre d'un accord.",
                         "en": 'Not initiated, minimal, intermediate, full, or reversed: the Peace Accords Matrix scale (University of Notre Dame) for tracking how an agreement is carried out.'},
    "glossary.points": {"fr": 'points des jalons', "en": 'milestone points'},
    "glossary.points.text": {"fr": '0 à 3 points par jalon (minimal 1, intermédiaire 2, complet 3, recul 0) ; un objectif fait de jalons est jugé sur la part des points obtenus.',
                         "en": '0 to 3 points per milestone (minimal 1, intermediate 2, full 3, reversed 0); a benchmark made of milestones is judged on the share of points reached.'},
    "glossary.known_on": {"fr": 'connu à la date', "en": 'known on the date'},
    "glossary.known_on.text": {"fr": "Un rapport daté ne montre que ce qu'un lecteur pouvait savoir ce jour-là : chaque chiffre, événement et source compte à partir de sa publication.",
                         "en": 'A dated report shows only what a reader could know that day: each figure, event and source counts from its publication.'},
    "glossary.confidence": {"fr": "confiance d'un chiffre", "en": 'confidence of a figure'},
    "glossary.confidence.text": {"fr": "Primaire : lu dans le document d'origine ; secondaire : repris par la presse ou un agrégateur ; dérivé : un calcul sur des chiffres cités, expliqué.",
                         "en": 'Primary: read in the original document; secondary: quoted by the press or an aggregator; derived: arithmetic on cited figures, explained.'},
    "glossary.set_aside": {"fr": 'ligne écartée', "en": 'row set aside'},
    "glossary.set_aside.text": {"fr": "Une ligne d'un fichier d'entrée qui n'a pu être lue (lieu inconnu, nombre ambigu…) : montrée avec sa raison sur la page de qualité, jamais utilisée en silence.",
                         "en": 'A row of an input file that could not be read (unknown place, ambiguous number…): shown with its reason on the quality page, never used silently.'},
    "glossary.rule": {"fr": 'règle', "en": 'rule'},
    "glossary.rule.text": {"fr": 'Le statut suit la règle écrite dans le fichier de la feuille de route ; le calcul est à un clic sous chaque indicateur.',
                         "en": 'The status follows the rule written in the roadmap file; the arithmetic is one click away under each indicator.'},
    "how_computed": {"fr": "Comment ce statut est calculé : la série, la règle et le calcul",
                     "en": "How this status is computed: the series, the rule and the arithmetic"},
    "target_by": {"fr": "{value} au {date}", "en": "{value} by {date}"},
    "axis.counted_since": {"fr": "comptés depuis le {since}", "en": "counted since {since}"},
    "single_figure": {"fr": "{name} : un seul chiffre, {value} ({date} ; {source}) ; pas de tendance à tracer.",
                      "en": "{name}: a single figure, {value} ({date}; {source}); no trend to draw."},
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
    "score_text.milestones": {"fr": "{points} points de jalons sur {max}", "en": "{points} of {max} milestone points"},
    "score_header": {"fr": "score (jalons : 0 à 3 points chacun)", "en": "score (milestones: 0 to 3 points each)"},
    "quarter": {"fr": "T{n} {year}", "en": "Q{n} {year}"},
    "history.cell": {"fr": "{row}, {date} : {status}{score}", "en": "{row}, {date}: {status}{score}"},
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
    "history.reviewed": {"fr": "revu par {reviewer} le {date} : {status}",
                         "en": "reviewed by {reviewer} on {date}: {status}"},
    "history.review_stale": {"fr": "à revoir : la revue de {reviewer} du {date} portait sur « {seen} »",
                             "en": "to be reviewed again: the review by {reviewer} of {date} was of “{seen}”"},
    "history.review_note": {
        "fr": "Une case cerclée de jaune (trait plein) porte un statut revu : un relecteur l'a jugé (d'accord ou "
              "non, voir le CSV), à partir de la date de sa revue, jamais avant — ou, pour une revue faite après "
              "les dernières données, à partir de la date de ces données, qu'elle a jugées telles quelles. Un "
              "cercle jaune en pointillé signale une revue à refaire : le statut calculé a changé depuis. Le CSV donne "
              "pour chaque case le statut revu, le statut calculé qu'a vu le relecteur, son nom et sa date.",
        "en": "A cell ringed in yellow (a solid line) carries a reviewed status: a reviewer judged it (agreeing "
              "or not, see the CSV), from the review's date on, never before — or, for a review made after the "
              "latest data, from the date of those data, which it judged as they stand. A dashed "
              "yellow ring marks a review to be done again: the computed status has changed since. The CSV gives for each cell the "
              "reviewed status, the computed status the reviewer saw, the reviewer and the date."},
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
    "since.reviewed": {"fr": "Revues de statut ({count})", "en": "Status reviews ({count})"},
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
    "why.met_by_deadline": {"fr": "{value} ({date}) atteint la cible de {target} à l'échéance du {deadline} : "
                                  "atteint à l'échéance.",
                            "en": "{value} ({date}) meets the {target} target by the deadline of {deadline}: "
                                  "achieved by the deadline."},
    "why.figure_too_old": {"fr": "Le dernier chiffre, {value} ({date}), a plus de {max_months} : aucun rythme vers "
                                 "{target} d'ici le {deadline} n'est jugé sur un chiffre aussi ancien : pas de "
                                 "chiffre récent.",
                           "en": "The latest figure, {value} ({date}), is more than {max_months} old: no pace toward "
                                 "{target} by {deadline} is judged on so old a figure: no recent data."},
    "why.not_yet_in_force": {"fr": "La feuille de route n'était pas encore adoptée (elle l'a été le {date}) : aucun "
                                   "statut.",
                             "en": "The roadmap was not yet adopted (it was on {date}): no status."},
    "why.benchmark_not_yet_in_force": {"fr": "Ce critère ne faisait pas encore partie de la feuille de route (il y a "
                                             "été ajouté le {date}) : aucun statut.",
                                       "en": "This benchmark was not yet part of the roadmap (it was added on "
                                             "{date}): no status."},
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
                                             "{base_date}) et ne l'est plus ({value}, {date}).",
                                       "en": "The {target} target was met at the baseline ({base}, {base_date}) and "
                                             "no longer is ({value}, {date})."},
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
    # Why ingest set a row aside, one line per rule (the quality pages; the English detail is in
    # the quarantine table and on the English page).
    "setaside.known-indicator": {"fr": 'indicateur inconnu : déclarez-le dans un fichier de feuille de route', "en": 'unknown indicator: declare it in a roadmap file'},
    "setaside.known-region": {"fr": 'lieu inconnu : un code ISO 3166 ou une p-code, ou un nom déclaré dans data/raw/geography', "en": 'unknown place: an ISO 3166 code or p-code, or a name declared in data/raw/geography'},
    "setaside.known-source": {"fr": 'source inconnue : ajoutez-la au fichier des sources', "en": 'unknown source: add it to the sources file'},
    "setaside.known-milestone": {"fr": 'jalon inconnu de cette feuille de route', "en": 'milestone unknown to this roadmap'},
    "setaside.known-benchmark": {"fr": 'objectif inconnu de cette feuille de route', "en": 'benchmark unknown to this roadmap'},
    "setaside.known-roadmap": {"fr": 'feuille de route inconnue', "en": 'unknown roadmap'},
    "setaside.known-key": {"fr": 'identifiant inconnu', "en": 'unknown id'},
    "setaside.ambiguous-roadmap": {"fr": 'jalon déclaré par plusieurs feuilles de route : indiquez roadmap_id', "en": 'milestone declared by several roadmaps: give its roadmap_id'},
    "setaside.ambiguous-separator": {"fr": 'séparateur ambigu : écrivez 26000 ou 26 000, pas 26,000', "en": 'ambiguous separator: write 26000, not 26,000'},
    "setaside.number": {"fr": 'nombre illisible', "en": 'unreadable number'},
    "setaside.unit": {"fr": "unité qui ne correspond pas à celle de l'indicateur", "en": "unit that does not match the indicator's"},
    "setaside.period": {"fr": 'période illisible : une date ISO ou une année', "en": 'unreadable period: an ISO date or a year'},
    "setaside.period-order": {"fr": 'période qui finit avant de commencer', "en": 'period that ends before it starts'},
    "setaside.required": {"fr": 'cellule obligatoire vide', "en": 'required cell left empty'},
    "setaside.confidence": {"fr": 'confiance inconnue : primary, secondary ou derived', "en": 'unknown confidence: primary, secondary or derived'},
    "setaside.dated": {"fr": 'mention de date inconnue : vide, stated ou inferred', "en": 'unknown dating: empty, stated or inferred'},
    "setaside.kind": {"fr": 'genre de source inconnu', "en": 'unknown kind of source'},
    "setaside.status": {"fr": 'statut de jalon inconnu', "en": 'unknown milestone status'},
    "setaside.merged-cell": {"fr": 'cellules fusionnées : défusionnez-les et remplissez-les', "en": 'merged cells: unmerge and fill them'},
    "setaside.formula-value": {"fr": 'formule sans résultat enregistré : ouvrez et enregistrez le classeur', "en": 'formula with no stored result: open and save the workbook'},
    "setaside.cell-error": {"fr": 'cellule en erreur (#DIV/0!, #N/A…)', "en": 'cell showing an error (#DIV/0!, #N/A…)'},
    "setaside.row-width": {"fr": 'ligne au nombre de colonnes inattendu', "en": 'row with an unexpected number of columns'},
    "setaside.csv-syntax": {"fr": 'ligne CSV mal formée', "en": 'malformed CSV row'},
    "setaside.encoding": {"fr": 'encodage illisible', "en": 'unreadable encoding'},
    "setaside.unique": {"fr": 'valeur en double', "en": 'duplicated value'},
    "setaside.unique-key": {"fr": 'clé en double', "en": 'duplicated key'},
    "setaside.published-rule": {"fr": 'règle de date de publication mal formée', "en": 'malformed publication-date rule'},
    "setaside.source-dated": {"fr": 'source sans date de publication ni règle', "en": 'source with no publication date nor rule'},
    "setaside.link-outside": {"fr": 'lien qui sort de data/raw', "en": 'link out of data/raw'},
    "setaside.mostly-refused": {"fr": 'fichier refusé en entier : la plupart de ses lignes sont illisibles', "en": 'file refused whole: most of its rows cannot be read'},
    "setaside.other": {"fr": "ligne écartée (règle {rule})", "en": "row set aside (rule {rule})"},
    # The one-page brief (pipelines/present/brief_panels.py)
    "brief.title": {"fr": "{acronym} : l'essentiel au {date}", "en": "{acronym}: the brief, {date}"},
    "brief.intro": {"fr": "Chaque objectif de {symbol}, son statut et pourquoi, en une page. La case de droite du "
                          "ruban est le statut au {date}, les autres ceux des fins de trimestre précédentes.",
                    "en": "Each benchmark of {symbol}, its status and why, on one page. The strip's last cell is the "
                          "status on {date}, the others those of the quarter ends before it."},
    "brief.framed": {"fr": "Une case encadrée porte un statut revu (en pointillé : à revoir).",
                     "en": "A framed cell carries a reviewed status (dashed: to be reviewed again)."},
    "brief.confidence": {"fr": "confiance {grade}", "en": "{grade} confidence"},
    "brief.review_agreed": {"fr": "revu : d'accord", "en": "reviewed: agreed"},
    "brief.review_changed": {"fr": "revu : {status}", "en": "reviewed: {status}"},
    "brief.why": {"fr": "où il en est", "en": "where it stands"},
    "brief.changed_heading": {"fr": "Ce qui a changé", "en": "What changed"},
    "brief.changed": {"fr": "Statuts changés depuis le {since} :", "en": "Statuses changed since {since}:"},
    "brief.no_change": {"fr": "Aucun statut n'a changé depuis le {since}.", "en": "No status changed since {since}."},
    "brief.change": {"fr": "objectif {benchmark} : de « {old} » à « {new} »",
                     "en": "benchmark {benchmark}: from \u201c{old}\u201d to \u201c{new}\u201d"},
    "brief.no_status": {"fr": "sans statut", "en": "no status"},
    "brief.sources": {"fr": "Feuille de route : {symbol} ({published}). Statuts calculés au {date} à partir de {count} "
                            "sources citées, chacune datée de sa publication ; la liste complète, les chiffres et les "
                            "règles sont dans la vue d'ensemble et les rapports par objectif.",
                      "en": "Roadmap: {symbol} ({published}). Statuses computed for {date} from {count} cited "
                            "sources, each dated by its publication; the full list, the figures and the rules are in "
                            "the overview and the benchmark reports."},
    "by_the_rule": {"fr": "le détail de la règle", "en": "the rule in detail"},
    "summary.indicator": {"fr": "{name} : {value}, soit {share} du chemin vers la cible de {target}.",
                          "en": "{name}: {value}, {share} of the way to the target of {target}."},
    "summary.indicator_none": {"fr": "{name} : aucun chiffre utilisable, pour une cible de {target}.",
                               "en": "{name}: no usable figure, against a target of {target}."},
    "summary.milestones": {"fr": "Jalons : {points} points sur {max}.", "en": "Milestones: {points} of {max} points."},
    "summary.milestones_by": {"fr": "Jalons : {points} points sur {max} à l'échéance du {deadline}.",
                              "en": "Milestones: {points} of {max} points by the deadline of {deadline}."},
    "summary.decides": {"fr": "C'est le moins avancé des {count} éléments de l'objectif : il en fixe le statut, "
                                "{status}.",
                        "en": "It is the least advanced of the benchmark's {count} parts, so it sets the status: "
                              "{status}."},
    "summary.decides_one": {"fr": "Cet élément décide seul du statut de l'objectif : {status}.",
                            "en": "This part alone decides the benchmark's status: {status}."},
    "why.benchmark": {"fr": "Le moins avancé de ses {count} éléments décide : {part}",
                      "en": "The least advanced of its {count} parts decides: {part}"},
    "why.benchmark_milestones": {"fr": "jalons : {points} points sur {max}, soit {share} : {band}.",
                                 "en": "milestones: {points} of {max} points, {share}: {band}."},
    "why.benchmark_milestones_deadline": {"fr": "jalons : {points} points sur {max} à l'échéance du {deadline} "
                                                "({now} aujourd'hui) : {status}.",
                                          "en": "milestones: {points} of {max} points by the deadline of {deadline} "
                                                "({now} now): {status}."},
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
    "dated_by_rule": {"fr": "daté par règle", "en": "dated by rule"},
    "published_by_rule": {"fr": "{date}, daté par règle (aucun jour de publication trouvé) : {rule}",
                          "en": "{date}, dated by rule (no day of publication found): {rule}"},
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
    # What each chart shows, after its title in its text alternative (theme.finish)
    "chart_shows.trend": {"fr": "les valeurs de l'indicateur au fil du temps, avec sa cible et les dates clés",
                          "en": "the indicator's values over time, with its target and the key dates"},
    "chart_shows.timeline": {"fr": "le statut de chaque jalon au fil du temps, d'un événement à l'autre",
                             "en": "each milestone's status over time, from one event to the next"},
    "chart_shows.bullet": {"fr": "la dernière valeur face à la cible et à la valeur de référence",
                           "en": "the latest value against the target and the baseline"},
    "chart_shows.scorecard": {"fr": "le score de chaque objectif de référence, coloré selon son statut",
                              "en": "each benchmark's score, coloured by its status"},
    "chart_shows.history": {"fr": "le statut de chaque ligne à chaque fin de trimestre, avec son score",
                            "en": "each row's status at each quarter end, with its score"},
    "chart_shows.map": {"fr": "le dernier chiffre de l'indicateur région par région, sur une carte",
                        "en": "the indicator's latest figure region by region, on a map"},
    "undated_rule": {"fr": "{count} de ces chiffres n'ont pas de date de publication connue (ni la leur, ni celle "
                           "de leur source) : ils comptent comme connus à la fin de la période qu'ils décrivent.",
                     "en": "{count} of these figures have no known publication date (neither their own nor "
                           "their source's): they count as known from the end of the period they describe."},
}
