"""What reps write about their accounts, by tone.

Templates are filled with ``{contact}``, ``{title}``, ``{customer}``,
``{product}``, ``{competitor}`` and ``{n}`` (a number from 5 to 40).
``LOST`` notes are negative and written just after an account churns;
``GROWTH`` notes are positive and written about growing accounts.
"""

from __future__ import annotations

COMPETITORS: tuple[str, ...] = (
    "Vantora",
    "Quillstack",
    "Brightline",
    "CoreAxis",
    "Helixa",
    "Tessaro",
)

POSITIVE: tuple[str, ...] = (
    "Call with {contact} ({title}) went well. They are happy with {product} and "
    "want to talk about adding {n} more seats next quarter.",
    "{contact} said the {product} rollout was the smoothest they have had with "
    "any vendor. Great relationship.",
    "QBR done. Usage of {product} is up and {contact} called out our support "
    "team by name. Renewal looks safe.",
    "{customer} wants to expand to a second site. {contact} asked for a quote "
    "that includes {product}.",
    "Very positive meeting with {contact}; they see us as a strategic partner "
    "and want a roadmap session.",
    "{contact} confirmed next year's budget is approved and we are their "
    "preferred supplier.",
    "Quick win: {contact} signed off on the {product} order without pushing on price.",
    "Lunch with {contact}. They are delighted with our response times since "
    "the support upgrade.",
    "{contact} introduced me to two other department heads who want a demo of "
    "{product}.",
    "{contact} agreed to be a customer reference for {product}. Huge for us.",
    "The {product} pilot beat every target; {contact} wants to roll it out "
    "company-wide.",
    "{contact} says {product} saves their team about {n} hours a month. Asked "
    "if we can use it as a case study.",
    "Renewal conversation was easy. {contact} asked about multi-year terms.",
    "{customer} is hiring fast; {contact} expects to need {n} more licences by "
    "year end.",
    "Good energy on the call. {contact} liked the new features in {product} "
    "and asked for early access.",
    "{contact} told me we are easy to work with and they are consolidating "
    "vendors onto us.",
    "Site visit went great. The team at {customer} is clearly getting value "
    "from {product}.",
    "{contact} sent a thank-you note after the install weekend. Relationship "
    "is strong.",
    "They accepted the proposal quickly. {contact} mentioned more projects "
    "coming in the new fiscal year.",
    "Survey back from {customer}: 9/10 from {contact}, who praised support.",
    "{contact} wants to bundle {product} with training for their new hires. "
    "Expansion opportunity.",
    "Executive sponsor meeting with {contact} ({title}) was excellent; we "
    "agreed a three-year plan.",
    "{customer} upgraded their support tier without any push from us. Happy customer.",
    "Smooth quarter: no open tickets, and {contact} asked for a quote on "
    "{product} for the new office.",
    "{contact} said {competitor} pitched them last week and they were not "
    "interested. Loyal account.",
)

GROWTH: tuple[str, ...] = (
    "{customer} keeps growing; {contact} expects to double the {product} "
    "footprint this year.",
    "Another expansion request from {contact}: {n} more seats of {product}.",
    "{contact} says {customer} opened two new offices and wants the same setup as HQ.",
    "Usage of {product} at {customer} is up {n}% quarter over quarter. Upsell "
    "potential.",
    "{contact} asked us to scope a company-wide rollout. Big opportunity.",
    "Growth account: {contact} wants a standing monthly call to plan further "
    "purchases.",
)

NEUTRAL: tuple[str, ...] = (
    "Call with {contact} to review open items on {product}. Follow-up "
    "scheduled for next month.",
    "Sent the updated price list to {contact} as requested.",
    "{contact} asked for our security questionnaire; forwarded it to compliance.",
    "Quarterly check-in with {customer}. No changes to their plans for now.",
    "{contact} is out until next month; will follow up on the {product} quote then.",
    "Updated the billing contact for {customer}. {contact} stays our main contact.",
    "Demo of the new {product} release booked with {contact}'s team.",
    "{contact} asked for copies of last quarter's invoices; sent.",
    "Went through timelines for the {product} order with {contact}. Waiting on "
    "their internal approval.",
    "Routine call. {contact} had a few questions about licence counts; "
    "answered by email.",
    "{customer} changed procurement portals; registered us as a supplier again.",
    "{contact} asked how the standard and premium support plans compare.",
    "Met {contact} at the trade show. Brief chat, nothing new.",
    "Shared the product roadmap deck with {contact} ({title}).",
    "{contact} confirmed the delivery address for the {product} shipment.",
)

NEGATIVE: tuple[str, ...] = (
    "{contact} was frustrated on today's call: too many open tickets on "
    "{product} and slow answers from support.",
    "Heads up: {contact} mentioned {competitor} offered them a much lower "
    "price. They are evaluating.",
    "{customer} pushed back hard on the renewal price. {contact} says their "
    "budget was cut by {n}%.",
    "{contact} skipped the QBR for the second time. Hard to get a meeting.",
    "Escalation from {contact} ({title}) about last week's {product} outage. "
    "Tone was angry.",
    "They rejected the last quote; {contact} said we are too expensive "
    "compared to {competitor}.",
    "{contact} hinted they might not renew {product}. Usage dropped a lot this "
    "quarter.",
    "New {title} at {customer} wants to review every vendor. Our champion "
    "{contact} has less influence now.",
    "Procurement at {customer} is running an RFP and {competitor} is in it. Not good.",
    "{contact} complained about invoicing errors again. The relationship is "
    "getting strained.",
    "Emails to {contact} unanswered for three weeks. Worried we are losing this one.",
    "{contact} said the {product} rollout has been painful and their team has "
    "stopped using it.",
    "Budget freeze at {customer}; {contact} put every open purchase on hold.",
    "Tough call. {contact} listed three unresolved issues and asked why they "
    "should stay with us.",
    "{customer} is consolidating on {competitor}'s platform. We may lose the "
    "{product} renewal.",
    "They cancelled the planned expansion. {contact} cited poor value for money.",
    "{contact} asked to review the termination clause of our contract. Red flag.",
    "Support satisfaction at {customer} is low; {contact} rated us 3/10 in the survey.",
    "{contact} is unhappy about delivery delays on the {product} order and "
    "wants compensation.",
    "Our champion {contact} is leaving {customer} next month. No clear "
    "replacement yet.",
    "Pricing objection again: {contact} wants {n}% off or they walk.",
    "{contact} said our roadmap does not meet their needs and they are looking "
    "at alternatives.",
    "Cold meeting with {contact}. They only wanted to talk about price and exit terms.",
    "{customer} missed payment on the last invoice and {contact} is not responding.",
    "Lost the last two quotes. {contact} says {competitor} is cheaper and "
    "'good enough'.",
)

LOST: tuple[str, ...] = (
    "{contact} confirmed {customer} has moved to {competitor}. Closing out the "
    "account.",
    "Lost {customer}. They will not renew {product}; price and support were "
    "the reasons given.",
    "Final call with {contact}: the contract ends this month and they are not "
    "renewing.",
    "{customer} gave notice. {contact} said {competitor} won on price.",
    "Account lost. {contact} was polite but firm: they are standardising on "
    "{competitor}.",
    "No renewal from {customer}. Will try again in a year when their "
    "{competitor} contract is up.",
)
