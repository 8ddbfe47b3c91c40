"""A gazetteer of first names given in France (all generations, common origins), folded.

The small French NER model misses many lone first names in spoken transcripts ("avec Céline de
l'équipe"); a capitalised token found here is taken for a person. Names that are also common
words are listed in :data:`AMBIGUOUS` and only count inside a name context.
"""

from __future__ import annotations

_NAMES = """
aaron abdel abdelkader abdallah abdou abdoulaye abel abigail adam adele adeline adrien adrienne agathe agnes
ahmed aicha aimee alain alban albane albert albertine aldo alex alexandra alexandre alexia alexis alfred
ali alice alicia aline alix alizee allan alphonse amadou amandine amaury ambre amel amelie amina aminata
amine amir anaelle anais anatole andre andrea andree anette ange angele angelique angelina anissa anita
anna annabelle anne annette annick annie anouk anthony antoine antoinette antonin apolline arielle
armand armelle arnaud arthur astrid audrey augustin aurelie aurelien aurore axel axelle aya aymeric
baptiste barbara basile bastien beatrice benedicte benjamin benoit berenice bernadette bernard berthe
bertrand blandine boris brahim brice brigitte bruno bryan calixte camille capucine carine carla carole
caroline catherine cecile cedric celestin celine chantal charles charlie charline charlotte chloe
christelle christian christiane christine christophe claire clara clarisse claude claudette claudine
clement clementine cleo clotilde colette coline colin come constance corentin corinne cyril cyrille
daniel daniele danielle david delphine denis denise didier dimitri djamel dominique dorian dorothee
edith edmond edouard elea eleonore elias elie eliane elisa elisabeth elise ella elodie eloi eloise elsa
emeline emile emilie emilien emma emmanuel emmanuelle enzo eric erica erwan estelle esteban ethan
etienne eugene eugenie eva evelyne fabien fabienne fabrice fanny farid fatima fatou fatoumata faustine
felix fernand fernande flavie flavien florence florent florian fouad france francine francis franck
francois francoise frederic frederique gabin gabriel gabrielle gael gaelle gaetan gaston gauthier
genevieve georges georgette gerald geraldine gerard germain germaine ghislaine gilbert gilberte gilles
gisele gregoire gregory guillaume guy guylaine gwenael gwenaelle hakim halima hamid hanane hassan
hector helene henri henriette herve hippolyte hortense hubert hugo hugues ibrahim ibrahima ilyes ines
irene iris isabelle isidore ismael ivan jacky jacqueline jacques jade james jean jeanine jeanne jeannette
jeannine jennifer jeremie jeremy jerome jessica joachim joel joelle johan johanna jonathan jordan joseph
josephine josette josiane josue jules julia julie julien juliette justin justine kader kamel karim karima
karine kevin khadija killian kylian laetitia lea leandre leila lena leo leon leonie leopold lilian liliane
lilou lina lionel lisa loan lola lorenzo louis louise loic lou luc luca lucas lucette lucie lucien lucienne
lucile ludivine ludovic lydie lydia madeleine maelle maeva magali mahamadou malik malika mamadou manon
marc marceau marcel marcelle marguerite maria mariam marianne marie marielle marina marine marion
mariama marius marjorie marlene marthe martial martin martine maryse mathias mathieu mathilde
matteo matthieu maud maurice maxence maxime maximilien medhi mehdi melanie melissa melodie
michel micheline michele mickael mila milo mireille mohamed mohammed monique morgan morgane mounir mourad
muriel myriam nabil nadege nadia nadine naima nael nais nassim natacha nathalie nathan nicolas nicole
nina noa noah noe noel noelle noemie nora norbert oceane octave odette odile olivia olivier oscar pascal
pascale patrice patricia patrick paul paule paulette pauline perrine philippe pierre pierrette quentin
rachel rachid rania raphael raphaelle raymond raymonde rayan rebecca regine regis remi renaud rene renee
richard robert robin rodolphe roger roland romain romane romeo rose rosalie roseline rosine ruben sabine
sabrina sacha salome samia samir samira samuel sandra sandrine sara sarah sebastien serge severine
simon simone slimane solange solene sophie soraya stephane stephanie suzanne suzette sylvain sylvaine
sylvie tatiana teddy theo theophile therese thibault thibaut thierry thomas timothee tiphaine tom tristan
ulysse valentin valentine valerie vanessa veronique victor victoire victoria vincent violette virginie
viviane vivien xavier yacine yanis yann yannick yasmina yasmine yassine yohan youssef yves yvette yvonne
zacharie zoe zohra laure aude jose dede jojo ophelie gwendoline berangere lucille sebastienne
maeli soline sixtine thais timeo ugo valentina wassim walid yasmine zinedine adama ousmane seydou moussa
binta khadidja nour rym sofiane souad djamila farida rachida nadir karima latifa hakima said rachel
manuel manuela joao antonio fernando paulo carlos luis ana sofia rosa lucia isabel miguel jorge
"""

FIRST_NAMES: frozenset[str] = frozenset(_NAMES.split())

# Also everyday words or places: a name only after a title or cue, or followed by a surname.
AMBIGUOUS: frozenset[str] = frozenset(
    """
    ange aurore blanche capucine claire constance france grace jade lou marine martin olive pierre prudence
    rose victoire violette iris mila noel ambre colin luc
    """.split()
)
